"""Cleaning of user-typed text, shared by every form that takes it, and the names'
look-alike keys."""

import json
import re
import unicodedata
from collections import defaultdict
from functools import cache
from importlib import resources

# C0/C1 control characters other than tab, newline and carriage return: never stored.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean_text(value):
    """Normalises line endings and Unicode (NFC), and removes control characters."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", _CONTROL.sub("", value))


# Marks that stand for a role next to a name on the site (the moderator's diamond and its
# look-alikes): no one may put them in a name of their own.
ROLE_MARKERS = frozenset("♦◆◇♢⬥⬦⬧⬨◊⟐💎🔷🔹")


def has_role_marker(name):
    return any(character in ROLE_MARKERS for character in name)


def normalise_name(name):
    """A name as it is stored: compatibility characters folded (NFKC: "ｆｕｌｌ" becomes
    "full"), controls removed, surrounding space trimmed."""
    return unicodedata.normalize("NFKC", clean_text(name)).strip()


@cache
def _prototypes():
    """{character or sequence: the prototype it looks like}, after Unicode's confusables
    (UTS #39, as the confusable-homoglyphs package ships them): every character of a
    group of look-alikes maps to the one the others are listed under ("а", "ɑ", "𝐚" → "a";
    "I", "1" → "l"; "m" → "rn")."""
    groups = json.loads(
        resources.files("confusable_homoglyphs").joinpath("confusables.json").read_text("utf-8")
    )
    parent = {}

    def root(item):
        while parent.setdefault(item, item) != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    for key, homoglyphs in groups.items():
        for homoglyph in homoglyphs:
            parent[root(homoglyph["c"].strip("\u200e"))] = root(key)
    members = defaultdict(list)
    for item in parent:
        members[root(item)].append(item)
    prototypes = {}
    for group in members.values():
        # The prototype is the one whose look-alikes are listed: the longest list.
        prototype = max(group, key=lambda item: (len(groups.get(item, ())), -len(item), item))
        prototypes.update((item, prototype) for item in group if len(item) == 1)
    return prototypes


def _skeleton(text):
    prototypes = _prototypes()
    return "".join(prototypes.get(character, character) for character in text)


def lookalike_key(name):
    """What a name looks like, to compare names by: two names with the same key can be
    told apart by no reader ("admin", "аdmin" with a Cyrillic а, "ADMIN", "admín",
    "ad\u00admin" with a soft hyphen). After UTS #39's skeleton, with case, accents and
    invisible characters set aside as well."""
    text = unicodedata.normalize("NFD", normalise_name(name))
    text = "".join(c for c in text if unicodedata.category(c) not in ("Mn", "Me", "Cf"))
    # Case set aside after the skeleton, which takes a capital I for a small l: so the
    # small i goes with them, and "ADMIN", "admin" and "adm1n" meet.
    return _skeleton(_skeleton(text).casefold()).replace("i", "l")
