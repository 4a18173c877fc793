"""Differences between two revisions of a text, for the revisions page."""

import difflib
import re

# A diff compares words and the spaces and punctuation between them.
_DIFF_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")
# Comparing words is quadratic at worst; a longer rewritten passage is shown as lines.
_WORD_DIFF_LIMIT = 3000

KEPT, INSERTED, DELETED = "", "ins", "del"


def _merged(pieces):
    merged = []
    for change, text in pieces:
        if not text:
            continue
        if merged and merged[-1][0] == change:
            merged[-1] = (change, merged[-1][1] + text)
        else:
            merged.append((change, text))
    return merged


def _word_diff(old, new):
    old_words, new_words = _DIFF_TOKEN.findall(old), _DIFF_TOKEN.findall(new)
    if max(len(old_words), len(new_words)) > _WORD_DIFF_LIMIT:
        return [(DELETED, old), (INSERTED, new)]
    opcodes = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False).get_opcodes()
    pieces, deleted, inserted = [], "", ""
    for index, (change, i1, i2, j1, j2) in enumerate(opcodes):
        before, after = "".join(old_words[i1:i2]), "".join(new_words[j1:j2])
        # A lone space between two changes joins them: "<del>a b</del><ins>c d</ins>" reads
        # better than "<del>a</del><ins>c</ins> <del>b</del><ins>d</ins>".
        between_changes = (deleted or inserted) and index + 1 < len(opcodes) and before.isspace()
        if change == "equal" and not between_changes:
            pieces += [(DELETED, deleted), (INSERTED, inserted), (KEPT, before)]
            deleted = inserted = ""
        else:
            deleted, inserted = deleted + before, inserted + after
    return pieces + [(DELETED, deleted), (INSERTED, inserted)]


def text_diff(old, new):
    """How `new` differs from `old`, as (change, text) pieces: KEPT, INSERTED or DELETED.

    Lines are matched first and words only within changed lines, which keeps long posts
    quick to compare. The pieces are plain text: templates escape them like any other.
    """
    old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    pieces = []
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for change, i1, i2, j1, j2 in matcher.get_opcodes():
        before, after = "".join(old_lines[i1:i2]), "".join(new_lines[j1:j2])
        if change == "equal":
            pieces.append((KEPT, before))
        elif change == "replace":
            pieces.extend(_word_diff(before, after))
        else:
            pieces.extend([(DELETED, before), (INSERTED, after)])
    return _merged(pieces)


def tags_diff(old, new):
    """The tags of `new` (kept or inserted) followed by the tags `old` had and `new` lacks."""
    return [(KEPT if name in old else INSERTED, name) for name in new] + [
        (DELETED, name) for name in old if name not in new
    ]
