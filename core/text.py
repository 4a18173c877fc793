"""Cleaning of user-typed text, shared by every form that takes it."""

import re
import unicodedata

# C0/C1 control characters other than tab, newline and carriage return: never stored.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean_text(value):
    """Normalises line endings and Unicode (NFC), and removes control characters."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", _CONTROL.sub("", value))
