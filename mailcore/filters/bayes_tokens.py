"""The words the Bayesian classifier (bayes.py) learns from: what a message says, decoded.

Tokens come from the decoded Subject, From and To, the sender's authentication results,
the MIME shape, and the text of the body parts (HTML turned into its visible text, its
link targets kept as URL domains). Each word is lower-cased; a word with diacritics also
gives its folded form ("hóa" -> "hoa"), because spam often drops Vietnamese accents to
slip past word lists, and ham written on a phone without an IME does too. Adjacent body
words also give a pair ("khuyen mai"): Vietnamese words are mostly one-syllable, and a
syllable alone ("mai", "tien") says little.

A message counts each token once (presence, as SpamBayes does), and only the first
MAX_TEXT_CHARS of decoded text and MAX_TOKENS distinct tokens are read, so a hostile
10 MB body costs no more than a normal one. Tokens are stored as 63-bit hashes
(hash_token), so the table holds no readable words from anyone's mail.
"""
import hashlib
import re
import unicodedata

from mailcore.mime.headers import decode_words
from mailcore.mime.structure import iter_leaves, parse_message
from mailcore.mime.text import decode_part_text, html_to_text

MAX_TEXT_CHARS = 100_000  # of decoded text per message
MAX_TOKENS = 3_000  # distinct tokens per message
MAX_PARTS = 20  # text parts read per message
MIN_WORD, MAX_WORD = 2, 24
# Letters and digits, with an inner apostrophe, dot or hyphen kept ("don't", "v1.2", "e-mail").
_WORD_RE = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*")
_URL_RE = re.compile(r"(?:https?|ftp)://([^\s/?#\"'<>()\[\]\\]+)", re.IGNORECASE)
_EMAIL_RE = re.compile(r"[\w.+\-]+@([\w\-]+(?:\.[\w\-]+)+)")
_DIACRITICS_RE = re.compile("[\u0300-\u036f]+")
_STROKES = str.maketrans({"đ": "d", "Đ": "D", "ł": "l", "ø": "o", "ħ": "h"})
_AUTH_RE = re.compile(r"\b(spf|dkim|dmarc)=([a-z]+)", re.IGNORECASE)
_HASH_MASK = (1 << 63) - 1


def hash_token(token: str) -> int:
    """A token's 63-bit id: fits a signed BIGINT on every database, and collides rarely."""
    return int.from_bytes(hashlib.blake2b(token.encode(), digest_size=8).digest(), "big") & _HASH_MASK


def fold(word: str) -> str:
    """The word without diacritics or strokes ("đơn" -> "don"); ASCII comes back as is."""
    if word.isascii():
        return word
    return _DIACRITICS_RE.sub("", unicodedata.normalize("NFD", word)).translate(_STROKES)


class _Tokens:
    """An ordered set of tokens with a cap, so callers just add."""

    def __init__(self):
        self.seen: dict[str, None] = {}

    def add(self, token: str):
        if len(self.seen) < MAX_TOKENS:
            self.seen[token] = None

    def words(self, text: str, prefix: str = "", pairs: bool = False):
        previous = None
        for match in _WORD_RE.finditer(text.lower()):
            word = match.group()
            if word.isdigit() and len(word) > 4:
                word = f"digits:{len(word)}"  # phone numbers, order numbers: the shape, not the value
            elif len(word) < MIN_WORD:
                previous = None
                continue
            elif len(word) > MAX_WORD:
                # SpamBayes' "skip" token: long runs (base64 leaks, hashes) by first letter and size.
                self.add(f"{prefix}skip:{word[0]}{len(word) // 10 * 10}")
                previous = None
                continue
            folded = fold(word)
            self.add(prefix + word)
            if folded != word:
                self.add(prefix + folded)
            if pairs and previous is not None:
                self.add(f"{prefix}{previous} {folded}")
            previous = folded

    def urls(self, text: str):
        for match in _URL_RE.finditer(text):
            host = match.group(1).rsplit("@", 1)[-1].split(":", 1)[0].lower().strip(".")
            if not host:
                continue
            self.add("url:" + host)
            labels = host.split(".")
            if host.replace(".", "").isdigit():
                self.add("url:ip-address")
            elif len(labels) > 2:  # the registered name too, so new subdomains still count
                self.add("url:" + ".".join(labels[-2:]))
        for match in _EMAIL_RE.finditer(text):
            self.add("email:" + match.group(1).lower())


def _address_tokens(tokens: _Tokens, headers, name: str):
    addresses = headers.addresses(name)
    tokens.add(f"{name}:count:{min(len(addresses), 5)}")
    for display, address in addresses[:10]:
        address = address.lower()
        local, _at, domain = address.rpartition("@")
        tokens.add(f"{name}:addr:{address}")
        if domain:
            tokens.add(f"{name}:domain:{domain}")
        if name == "from":
            tokens.words(decode_words(display), prefix="from:name:")
            if display and "@" in decode_words(display):
                tokens.add("from:name-has-address")
            if local and sum(c.isdigit() for c in local) >= 4:
                tokens.add("from:local-has-digits")


def _header_tokens(tokens: _Tokens, headers):
    subject = decode_words(headers.get("subject"))
    tokens.words(subject, prefix="subject:")
    tokens.urls(subject)
    if not subject:
        tokens.add("subject:none")
    elif sum(c.isupper() for c in subject) > 0.6 * sum(c.isalpha() for c in subject) > 5:
        tokens.add("subject:shouting")
    for name in ("from", "to", "cc"):
        _address_tokens(tokens, headers, name)
    reply_to = headers.addresses("reply-to")
    senders = {address.lower() for _name, address in headers.addresses("from")}
    if reply_to and reply_to[0][1].lower() not in senders:
        tokens.add("reply-to:differs")
    for name in ("message-id", "date"):
        if not headers.get(name):
            tokens.add(f"header:{name}:missing")
    mailer = str(headers.get("x-mailer") or headers.get("user-agent") or "").split()
    if mailer:
        tokens.add("mailer:" + mailer[0].lower()[:30])
    # Our own Authentication-Results (smtp/checks); X-Spam-* headers are never read, so the
    # classifier never learns from its own earlier verdict.
    for result in headers.get_all("authentication-results") or []:
        for method, verdict in _AUTH_RE.findall(str(result)):
            tokens.add(f"auth:{method.lower()}={verdict.lower()}")


def _body_tokens(tokens: _Tokens, raw: bytes, structure: dict):
    budget, parts, kinds = MAX_TEXT_CHARS, 0, set()
    for _section, part in iter_leaves(structure):
        kind = f"{part.get('type', 'text')}/{part.get('subtype', 'plain')}"
        kinds.add(kind)
        tokens.add("ctype:" + kind)
        filename = (part.get("filename") or "").lower()
        if filename:
            tokens.add("attachment:" + (filename.rsplit(".", 1)[-1][:10] if "." in filename else "none"))
        charset = (part.get("params") or {}).get("charset")
        if charset:
            tokens.add("charset:" + charset.lower()[:20])
        if part.get("type") != "text" or filename or budget <= 0 or parts >= MAX_PARTS:
            continue
        parts += 1
        text = decode_part_text(raw, part)[:budget]
        if part.get("subtype") == "html":
            tokens.urls(text)  # hrefs and image sources are gone from the visible text
            if re.search(r"<img\b", text, re.IGNORECASE):
                tokens.add("html:img")
            text = html_to_text(text)
        budget -= len(text)
        tokens.urls(text)
        tokens.words(text, pairs=True)
    if "text/html" in kinds and "text/plain" not in kinds:
        tokens.add("html-only")


def tokenize(raw: bytes) -> list[str]:
    """The distinct tokens of a message, headers first, at most MAX_TOKENS of them."""
    tokens = _Tokens()
    structure, headers = parse_message(raw)
    _header_tokens(tokens, headers)
    _body_tokens(tokens, raw, structure)
    return list(tokens.seen)


def token_ids(raw: bytes) -> list[int]:
    """The message's tokens as distinct 63-bit hashes (the form BayesToken stores)."""
    return list(dict.fromkeys(hash_token(token) for token in tokenize(raw)))
