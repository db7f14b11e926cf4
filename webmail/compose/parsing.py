"""Reading a stored message back into compose: its fields, text and attachments.

Used to reopen a draft, to quote a message in a reply, and to carry a forwarded
message's (or a draft's) attachments into the new message. Parsing uses the email
package's default policy, which decodes RFC 2047 words and RFC 2231 file names.

Header fields are not read through that policy's header objects: they raise on some
hostile values and are built lazily, so any access could fail. They are read as written
(`raw_items`) into the same HeaderFields the reading page uses, and decoded by
mailcore.mime.headers, which never raises. Names stay decoded for the person editing
them; building.py encodes them again (RFC 2047) only in the message it builds.
"""
from email import policy
from email.parser import BytesParser

from django.http import Http404

from mailcore.directory.addresses import address_to_unicode
from mailcore.mime.fields import HeaderFields
from mailcore.mime.headers import address_list, decode_words, display_address, parse_date
from mailcore.mime.text import header_text, html_to_text, scrub
from mailcore.store.fetch import fetch_raw
from mailcore.store.lookup import message_in_folder
from mailcore.store.models import Message

from .building import Attachment


def parse(raw: bytes):
    return BytesParser(policy=policy.default).parsebytes(raw)


def message_or_404(account, folder_id: int, uid: int) -> Message:
    """A stored message of this account; 404 for another account's ids."""
    message = message_in_folder(account.pk, folder_id, uid)
    if message is None:
        raise Http404
    return message


def parse_spec(spec: str) -> tuple[int, int] | None:
    """"<folder id>:<uid>" as the reading page links to compose, or None."""
    folder, _colon, uid = (spec or "").partition(":")
    if folder.isdigit() and uid.isdigit():
        return int(folder), int(uid)
    return None


def body_text(message) -> str:
    """The message's text: its text/plain body, else its HTML as text."""
    body = message.get_body(preferencelist=("plain", "html"))
    if body is None:
        return ""
    try:
        content = body.get_content()
    except (LookupError, ValueError):  # an unknown charset: bytes as Latin-1 rather than nothing
        content = (body.get_payload(decode=True) or b"").decode("latin-1")
    content = content.replace("\r\n", "\n")
    return html_to_text(content) if body.get_content_subtype() == "html" else content


def body_html(message) -> str:
    body = message.get_body(preferencelist=("html",))
    if body is None or body.get_content_type() != "text/html":
        return ""
    try:
        return body.get_content()
    except (LookupError, ValueError):
        return ""


def attachments(message) -> list[Attachment]:
    """The attachments of a parsed message, decoded, in order."""
    found = []
    for part in message.iter_attachments():
        if part.get_content_maintype() == "message":
            data, content_type = part.get_payload(0).as_bytes(), "application/octet-stream"
            name = part.get_filename() or "message.eml"
        else:
            data, content_type = part.get_payload(decode=True) or b"", part.get_content_type()
            name = part.get_filename() or "attachment"
        found.append(Attachment(str(name), content_type, data))
    return found


def stored(message_row) -> object:
    """A stored message parsed."""
    return parse(fetch_raw(message_row))


def _as_written(value) -> str:
    """A raw field value as text: 8-bit bytes (kept by the parser as surrogate escapes)
    are read as the reading page reads them (UTF-8, RFC 6532, else Latin-1)."""
    text = str(value)
    if text.isascii():
        return text
    try:
        return header_text(text.encode("ascii", "surrogateescape"))
    except UnicodeEncodeError:  # already text (a message built in memory)
        return scrub(text)


def headers(message) -> HeaderFields:
    """The message's own header fields, as written, for the decoders in mailcore.mime."""
    return HeaderFields([(name, _as_written(value)) for name, value in message.raw_items()])


def addresses(message, header: str) -> list[tuple[str, str]]:
    """[(decoded display name, address)] of an address field; groups give their members."""
    return [(name, address) for name, address in address_list(headers(message), header) if address]


def subject(message) -> str:
    return decode_words(headers(message).get("subject"))


def date(message):
    """The Date field as an aware datetime, or None (missing, malformed, out of range)."""
    return parse_date(headers(message).get("date"))


def field_text(message, header: str) -> str:
    """A field's value as one line of decoded text ("" when absent)."""
    return decode_words(headers(message).get(header))


def identifiers(message, header: str) -> str:
    """A msg-id field (Message-ID, In-Reply-To, References) on one line, as written."""
    return " ".join(scrub(headers(message).get(header) or "").split())


def format_addresses(pairs) -> str:
    """Addresses as a user reads and types them: "Phạm Minh <a@b>, "Doe, John" <c@d>, e@f",
    IDN domains in Unicode (the form turns them back into A-labels when it parses them)."""
    return ", ".join(display_address(name, address_to_unicode(address)) for name, address in pairs)
