"""The searchable text of a message body, kept beside the word index for IMAP SEARCH.

RFC 9051 §6.4.4 (RFC 3501 §6.4.4): BODY, TEXT, HEADER, SUBJECT and the address keys
match when the string is a SUBSTRING of the field, ignoring case. The word index can't
answer that ("eautiful worl", "sdfghjk" inside "asdfghjkl"), so each body gets one row
of folded text (models.SearchText), made once at append from the same parse:

    subject, from_text, to_text, cc_text, bcc_text   one field each
    headers    "\\n" + one "name: value" line per header field + "\\n"
    body       the decoded text parts (HTML as text), as the index has them
    sent_date  the Date field's day in its own time zone (SENTON/SENTBEFORE/SENTSINCE)
    sort_*     RFC 5256 sort keys: the addr-mailbox of the first address (sortkeys.py)

Text is folded as the word index folds it (case, compatibility forms, diacritics,
strokes: mailcore.folding), with runs of white space made one space, so a substring
of the message is a substring of its folded text, and "hoa don" still finds "Hóa đơn".
"""
import re
from email.policy import default
from email.utils import getaddresses

from mailcore.folding import strip_accents
from mailcore.mime.headers import decode_words, header_date
from mailcore.mime.structure import parse_header_block, split_header
from mailcore.mime.text import scrub

from ..collation import sort_key
from . import MAX_INDEXED_CHARS

MAX_BODY_CHARS = 1_000_000  # as mailcore.mime.text.MAX_DECODED_CHARS
MAX_FIELD_CHARS = 20_000  # one header field; longer ones are hostile or broken
_SPACE_RE = re.compile(r"\s+")
WORD_RE = re.compile(r"[^\W_]+")  # a word as the index sees it (mailcore.folding.words)
ADDRESS_FIELDS = ("from", "to", "cc", "bcc")


def fold(text: str) -> str:
    """text as it is compared: one space for each run of white space, case and accents
    folded as the word index folds them (mailcore.folding.words)."""
    return _fold_case(_SPACE_RE.sub(" ", text))


def _fold_case(text: str) -> str:
    if text.isascii():
        return text.lower()
    return strip_accents(text).casefold()


def _address_text(written: str, pairs: list[tuple[str, str]]) -> str:
    """The field as written (decoded: names, comments, group names) and each address as
    "<mailbox@host>", so "user-from@domain.org" is found even in
    "<user-from (comment)@ (comment) domain.org>" (RFC 5322 §3.4 comments)."""
    return " ".join([written, *(f"<{addr}>" for _name, addr in pairs if addr)])[:MAX_FIELD_CHARS]


def first_mailbox(values: list[str], pairs: list[tuple[str, str]] | None = None) -> str:
    """RFC 5256 §3: the addr-mailbox of the first address; "" when there is none.

    A list that starts with a group (RFC 5322 §3.4 "name: members;") sorts by the
    group's name, as the ENVELOPE's group start (name in the mailbox place) and Dovecot do.
    """
    if not values:
        return ""
    value = values[0]
    if ":" in value:
        try:
            groups = default.header_factory("to", value).groups
        except Exception:  # the email package raises assorted errors on malformed input
            groups = ()
        for group in groups:
            if group.display_name is not None:
                return group.display_name
            for address in group.addresses:
                return address.username
    if pairs is None:
        try:
            pairs = getaddresses([value])
        except Exception:  # getaddresses raises assorted errors on hostile input
            return ""
    for _name, addr in pairs:
        if addr:
            return addr.rpartition("@")[0] if "@" in addr else addr
    return ""


def _decode(value: str, summary) -> str:
    if "=?" not in value:
        return decode_words(value[:MAX_FIELD_CHARS])  # no encoded-word: cheap
    # Decoded already by the summary (RFC 2047 is the costly part of this function).
    headers = summary.headers
    if headers is not None and value is headers.get("subject") and len(summary.subject) < 998:
        return summary.subject
    if headers is not None and value is headers.get("from") and summary.from_name \
            and len(headers.addresses("from")) == 1:
        return f"{summary.from_name} <{summary.from_address}>"
    return decode_words(value[:MAX_FIELD_CHARS])


def text_values(raw: bytes, summary) -> dict:
    """The SearchText row of a message (without its blob), from the raw message and the
    summary already made of it."""
    headers = summary.headers or parse_header_block(raw[:split_header(raw, 0, len(raw))])
    decoded = [(name.lower(), _decode(value, summary)) for name, value in headers.fields]
    # One fold for the whole header: NUL (never in a field: scrubbed) keeps the lines apart.
    # decode_words left one space for each run of white space.
    lines = _fold_case("\0".join(f"{name}: {value}" for name, value in decoded)).split("\0")
    written = {name: " ".join(value for field, value in decoded if field == name)
               for name in (*ADDRESS_FIELDS, "subject")}
    pairs = {name: headers.addresses(name) for name in ADDRESS_FIELDS}
    sent = header_date(headers)
    values = {
        "subject": fold(written["subject"][:MAX_FIELD_CHARS]),
        **{f"{name}_text": fold(_address_text(written[name], pairs[name])) for name in ADDRESS_FIELDS},
        "headers": "\n" + "\n".join(lines) + "\n" if decoded else "\n",
        "body": fold(summary.body_text[:MAX_BODY_CHARS]),
        # The word index holds the first MAX_INDEXED_CHARS of the body: past that it can't
        # narrow a search, and the whole text is read.
        "beyond_index": len(summary.body_text) + sum(len(name) + 1 for name in summary.attachment_names)
        > MAX_INDEXED_CHARS,
        "sent_date": sent.date() if sent else None,
        # RFC 5256 §3 FROM, TO and CC, in their compared form (the subject's is on Message).
        **{f"sort_{name}": sort_key(first_mailbox(headers.get_all(name) or [], pairs[name]))
           for name in ("from", "to", "cc")},
    }
    # The email package leaves undecodable octets in addresses as lone surrogates, which no
    # database takes (a group name in an unknown charset did): scrub every header-made text.
    # The body comes scrubbed from the summary.
    return {name: scrub(value) if isinstance(value, str) and name != "body" else value
            for name, value in values.items()}


# RFC 5256 §5 ABNF: subj-trailer, subj-leader (subj-refwd with its blobs, or white space),
# subj-blob. "Re", "Fw", "Fwd" in any case, white space allowed before the colon.
_BLOB = r"\[[^\[\]]*\][ \t]*"
_TRAILER = re.compile(r"(?:[ \t]|\(fwd\))+$", re.IGNORECASE)
_LEADER = re.compile(rf"(?:(?:{_BLOB})*(?:re|fwd?)[ \t]*(?:{_BLOB})?:[ \t]*|[ \t]+)", re.IGNORECASE)
_LEADING_BLOB = re.compile(_BLOB)


def base_subject(subject: str) -> str:
    """The base subject of RFC 5256 §2.1, from a subject already decoded (step 1: RFC 2047
    encoded-words are decoded at append): no "Re:", "Fwd:", "[list]" or "(fwd)"."""
    text = " ".join(subject.split())  # (1) each run of white space becomes one space
    while True:
        text = _TRAILER.sub("", text)  # (2) every subj-trailer at the end
        while True:  # (3)–(5) a subj-leader, or a subj-blob if something follows it
            leader = _LEADER.match(text)
            if leader and leader.end():
                text = text[leader.end():]
                continue
            blob = _LEADING_BLOB.match(text)
            if blob and text[blob.end():]:
                text = text[blob.end():]
                continue
            break
        # (6) a subj-fwd-hdr and subj-fwd-trl: "[fwd: " ... "]" wraps the subject; repeat from (2)
        if text[:5].lower() == "[fwd:" and text.endswith("]"):
            text = text[5:-1]
            continue
        return text


COLUMNS = ("subject", "from_text", "to_text", "cc_text", "bcc_text", "headers", "body", "beyond_index",
           "sent_date", "sort_from", "sort_to", "sort_cc")


def insert_text(cursor, blob_id: int, values: dict):
    """Store a body's text inside the append's transaction, unless an earlier copy of the
    same body did (one row per blob)."""
    params = [cursor.db.ops.adapt_datefield_value(values[name]) if name == "sent_date" else values[name]
              for name in COLUMNS]
    cursor.execute(
        f"INSERT INTO store_searchtext (blob_id, {', '.join(COLUMNS)}) "
        f"VALUES (%s{', %s' * len(COLUMNS)}) ON CONFLICT (blob_id) DO NOTHING",
        [blob_id, *params],
    )
