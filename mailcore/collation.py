"""Reading order: how lists sort names, subjects and addresses for people.

Vietnamese collation with numbers compared by their value ("natural order": u2 before
u10), as ICU's `vi-u-kn-true` sorts. Lists that are paged in the database order by a
stored key column (`stored_key()`, kept with the row it belongs to and indexed with the
columns the list filters by), compared byte by byte: SQLite and PostgreSQL give the same
order, a page deep in a 100,000-row list walks an index, and a plan that does sort (a
search's results) sorts bytes, never calling Python. Short lists sorted in Python (the
folder sidebar, a domain menu) use `sort_key()`.

`sort_key()` follows the Unicode Collation Algorithm (UTS #10) with CLDR's Vietnamese
tailoring, level by level, as ICU does:
1. primary: spaces and punctuation, then digits (a run of digits by its value), then
   letters in the Vietnamese alphabet order a ă â b c d đ e ê (f) g h i (j) k l m n o ô
   ơ p q r s t u ư v (w) x y (z) — so Ả sorts with A, and Đ after D, not after Y —,
   then the letters of other scripts by code point;
2. secondary: accents that are not letters of their own, tones first in CLDR's order
   (none, huyền `̀`, hỏi `̉`, ngã `̃`, sắc `́`, nặng `̣`);
3. tertiary: lower case before upper case;
and last the text itself, so two different strings never compare equal. Where it and
ICU may differ is the relative order of punctuation marks and of other scripts.
"""
import functools
import re
import unicodedata

_BREVE, _CIRCUMFLEX, _HORN = "\u0306", "\u0302", "\u031b"
# The Vietnamese alphabet with the English letters it lacks in their English places.
_ALPHABET = ["a", ("a", _BREVE), ("a", _CIRCUMFLEX), "b", "c", "d", "đ", "e", ("e", _CIRCUMFLEX), "f", "g", "h",
             "i", "j", "k", "l", "m", "n", "o", ("o", _CIRCUMFLEX), ("o", _HORN), "p", "q", "r", "s", "t", "u",
             ("u", _HORN), "v", "w", "x", "y", "z"]
_LETTER_WEIGHT = {(entry, "") if isinstance(entry, str) else entry: weight
                  for weight, entry in enumerate(_ALPHABET, start=1)}
# CLDR vi: &̀<<̉<<̃<<́<<̣ — the tones, at the secondary level.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_EXPANSIONS = {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "ı": "i", "ð": "đ"}

SPACE, PUNCTUATION, DIGITS, LATIN, OTHER = 0, 1, 2, 3, 4
# A collation element: a run of digits, or one character with the combining marks after it
# (the blocks of combining diacritics; marks of other blocks count as elements of their own).
_ELEMENT = re.compile(r"(\d+)|(.[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]*)", re.S)


_END_OF_LEVEL, _END_OF_ELEMENT = "\x01", "\x02"


def _code(weight: int) -> str:
    """A weight as one code point above the level and element separators."""
    return chr(min(0x20 + weight, 0x10FFFF))


def _encode(kind: int, weight: int, accents: tuple = (), upper: int = 0) -> tuple[str, str, str]:
    """One collation element as its (primary, secondary, tertiary) codes."""
    return chr(0x10 + kind) + _code(weight), "".join(map(_code, accents)) + _END_OF_ELEMENT, _code(upper)


@functools.lru_cache(maxsize=8192)
def _cluster(cluster: str) -> tuple[str, str, str]:
    """The codes of one character and the marks after it (several elements for ß, æ …)."""
    base, marks = cluster[0], cluster[1:]
    upper = int(base != base.lower())
    base = base.lower()[:1] or base
    category = unicodedata.category(base)
    if category == "Mn":  # a mark without a base: an accent alone
        return _encode(PUNCTUATION, 0xFFFF, (_accent_weight(base),))
    if not category.startswith("L"):
        kind = SPACE if category.startswith("Z") or base.isspace() else PUNCTUATION
        return _encode(kind, ord(base), (), upper)
    if base in _EXPANSIONS:
        first, *rest = _EXPANSIONS[base]
        parts = [_cluster((first.upper() if upper else first) + marks),
                 *(_cluster(char.upper() if upper else char) for char in rest)]
        return tuple("".join(level) for level in zip(*parts, strict=True))
    modifier = next((mark for mark in marks if (base, mark) in _LETTER_WEIGHT), "")
    weight = _LETTER_WEIGHT.get((base, modifier))
    accents = tuple(_accent_weight(mark) for mark in marks if mark != modifier)
    return _encode(OTHER, ord(base), accents, upper) if weight is None else _encode(LATIN, weight, accents, upper)


def _digits(run: str) -> tuple[str, str, str]:
    # By value: the count of significant digits first, then the digits (no int(): a
    # subject may hold thousands of digits). Any script's decimal digits count (\d).
    if not run.isascii():
        run = "".join(str(unicodedata.decimal(char)) for char in run)
    number = run.lstrip("0") or "0"
    return chr(0x10 + DIGITS) + _code(len(number)) + number, _END_OF_ELEMENT, _code(0)


def _accent_weight(mark: str) -> int:
    return _TONES.get(mark) or 16 + ord(mark)  # other accents after the tones


@functools.lru_cache(maxsize=65536)
def sort_key(text: str) -> str:
    """A key that sorts strings in reading order (see the module docstring): a string
    compared code point by code point, like ICU's sort keys — the primary weights, then
    the secondary, then the tertiary, each level ended by a code lower than any weight —,
    then the text itself."""
    text = text or ""
    primary, secondary, tertiary = [], [], []
    for digits, cluster in _ELEMENT.findall(unicodedata.normalize("NFD", text)):
        p, s, t = _digits(digits) if digits else _cluster(cluster)
        primary.append(p)
        secondary.append(s)
        tertiary.append(t)
    return _END_OF_LEVEL.join(("".join(primary), "".join(secondary), "".join(tertiary),
                               unicodedata.normalize("NFC", text)))


KEY_CHARS = 64  # a stored key reads this much of the text: the rest rarely decides an order
KEY_BYTES = 255  # and is cut to this: a B-tree key must stay small (PostgreSQL, and index size)


def stored_key(text: str) -> bytes:
    """The key of a sort column (BinaryField: compared byte by byte by SQLite and
    PostgreSQL alike). UTF-8 keeps the order of code points; the last level (the text
    itself) is left out, since the row id breaks ties in every list."""
    key = sort_key((text or "")[:KEY_CHARS]).rpartition(_END_OF_LEVEL)[0]
    return key.encode("utf-8", "surrogatepass")[:KEY_BYTES]


def address_key(localpart: str, domain: str) -> bytes:
    """Addresses in reading order: by domain (as people read it, U-labels), then local part.
    NUL joins them: no key holds one, so a shorter domain sorts first."""
    return stored_key(domain) + b"\0" + stored_key(localpart)
