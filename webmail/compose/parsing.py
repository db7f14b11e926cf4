"""Reading a stored message back into compose: its fields, text and attachments.

Used to reopen a draft, to quote a message in a reply, and to carry a forwarded
message's (or a draft's) attachments into the new message. Parsing uses the email
package's default policy, which decodes RFC 2047 words and RFC 2231 file names.
"""
from email import policy
from email.parser import BytesParser
from email.utils import getaddresses

from django.http import Http404

from mailcore.mime.text import html_to_text
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


def addresses(message, header: str) -> list[tuple[str, str]]:
    return [(name, address) for name, address in getaddresses(message.get_all(header, [])) if address]


def format_addresses(pairs) -> str:
    """Addresses as a user types them: "Name <a@b>, c@d"."""
    from email.utils import formataddr

    return ", ".join(formataddr((name, address)) if name else address for name, address in pairs)
