"""Text rules for qbXML: what QuickBooks Desktop can store, and how it is escaped.

QuickBooks Desktop stores text in Windows-1252; anything else comes back mangled
(consolibyte/quickbooks-php issue #36, ``qbwc-protocol.md`` section 12). So characters outside
Windows-1252 are transliterated (``ă`` -> ``a``), replaced by ``?`` or refused, as the caller
chooses. Smart quotes, dashes, ``€`` and ``…`` are in Windows-1252 and are kept. Escaping covers
``& < > "`` and never emits ``&apos;`` (consolibyte ``QuickBooks/XML.php``).
"""

from __future__ import annotations

import unicodedata
from typing import Literal

from qbxml.errors import FieldTooLongError, UnencodableTextError

TextPolicy = Literal["transliterate", "replace", "refuse"]
LengthPolicy = Literal["refuse", "truncate"]

#: Characters that NFKD does not reduce to Windows-1252, mapped by hand.
_FALLBACK = {
    "\u0131": "i",  # dotless i
    "\u0141": "L",  # L with stroke (Polish)
    "\u0142": "l",
    "\u0110": "D",  # D with stroke (Croatian, Vietnamese)
    "\u0111": "d",
    "\u0127": "h",  # h with stroke (Maltese)
    "\u0126": "H",
    "\u2010": "-",  # hyphen
    "\u2011": "-",  # non-breaking hyphen
    "\u2012": "-",  # figure dash
    "\u2015": "-",  # horizontal bar
    "\u2212": "-",  # minus sign
    "\u2032": "'",  # prime
    "\u2033": '"',  # double prime
    "\u2190": "<-",
    "\u2192": "->",
}
REPLACEMENT = "?"
_XML_ALLOWED_CONTROLS = "\t\n\r"


def in_windows_1252(char: str) -> bool:
    """True when QuickBooks Desktop can store ``char`` (and XML 1.0 can carry it)."""
    if unicodedata.category(char) == "Cc" and char not in _XML_ALLOWED_CONTROLS:
        return False
    try:
        char.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def _transliterate(char: str) -> str:
    decomposed = unicodedata.normalize("NFKD", char)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    if stripped and all(in_windows_1252(c) for c in stripped):
        return stripped
    return _FALLBACK.get(char, REPLACEMENT)


def to_windows_1252(text: str, *, path: str, policy: TextPolicy) -> tuple[str, str]:
    """Make ``text`` storable by QuickBooks Desktop.

    Args:
        text: The caller's text.
        path: Field path, for the error message.
        policy: ``transliterate`` (NFKD, strip accents, small table, else ``?``), ``replace``
            (``?`` for each such character) or ``refuse``.

    Returns:
        The storable text and the characters that were changed (empty when none).

    Raises:
        UnencodableTextError: Policy ``refuse`` and the text has such characters.
    """
    bad = "".join(dict.fromkeys(c for c in text if not in_windows_1252(c)))
    if not bad:
        return text, ""
    if policy == "refuse":
        raise UnencodableTextError(path, bad)
    if policy == "replace":
        return "".join(c if c not in bad else REPLACEMENT for c in text), bad
    return "".join(c if c not in bad else _transliterate(c) for c in text), bad


def fit_length(text: str, *, path: str, max_length: int | None, policy: LengthPolicy) -> str:
    """Check ``text`` against the field's max length (in characters).

    Args:
        text: Storable text.
        path: Field path, for the error message.
        max_length: QuickBooks Desktop's limit, or None for no limit.
        policy: ``refuse`` or ``truncate`` (cut at the limit).

    Returns:
        The text, cut when the policy allows it.

    Raises:
        FieldTooLongError: The text is too long and the policy is ``refuse``.
    """
    if max_length is None or len(text) <= max_length:
        return text
    if policy == "refuse":
        raise FieldTooLongError(path, len(text), max_length)
    return text[:max_length]


def escape(text: str) -> str:
    """Escape ``& < > "`` for element text and attribute values (no ``&apos;``)."""
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
    )
