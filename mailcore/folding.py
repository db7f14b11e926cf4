"""Folding text for matching: case, compatibility forms, diacritics and strokes.

So "hoa don" finds "Hóa đơn" and "NGUYỄN" finds "Nguyễn", whatever form the text came in
(NFD from macOS, combining tone marks from windows-1258, "đ" which has no decomposition).
The search index, the mail rules' "ignore accents" and the panel's list search all fold
here, the same way.
"""
import re
import unicodedata

# Letters and digits; "_" splits words as it does in both search engines' tokenizers.
_WORD_RE = re.compile(r"[^\W_]+")
# The general-purpose combining diacritics (Latin, Greek, Cyrillic, Vietnamese tone
# marks); script-specific marks such as kana voicing stay and recompose under NFC.
_DIACRITICS_RE = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")
# Letters with a stroke have no canonical decomposition, so no engine strips them.
# (str.replace per letter: str.translate with a dict is ten times slower on long text.)
_STROKES = {"đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ħ": "h", "Ħ": "H"}


def strip_accents(text: str) -> str:
    """text without diacritics and strokes (case kept); compatibility forms unfolded."""
    if text.isascii():
        return text
    text = _DIACRITICS_RE.sub("", unicodedata.normalize("NFKD", text))
    text = unicodedata.normalize("NFC", text)
    for letter, plain in _STROKES.items():
        if letter in text:
            text = text.replace(letter, plain)
    return text


def words(text: str) -> list[str]:
    """Return the searchable words of text: case, width, diacritics and strokes folded."""
    if not text:
        return []
    if text.isascii():  # nothing to fold but case: the common case, made cheap
        return _WORD_RE.findall(text.lower())
    return _WORD_RE.findall(strip_accents(text).casefold())


def search_key(text: str) -> str:
    """text as space-separated folded words: what a stored key and a query are compared as."""
    return " ".join(words(text))
