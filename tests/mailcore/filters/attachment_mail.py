"""Messages with attachments for the attachment policy tests, built the way clients send them."""
import io
import zipfile
from email.message import EmailMessage
from email.policy import SMTP


def with_attachment(filename: str | None, data: bytes, content_type: str = "application/octet-stream") -> bytes:
    message = EmailMessage()
    message["From"] = "sender@example.net"
    message["To"] = "alice@example.test"
    message["Subject"] = "documents"
    message.set_content("see attached")
    maintype, subtype = content_type.split("/")
    message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return message.as_bytes(policy=SMTP)


def zipped(members: dict[str, bytes], encrypted: bool = False, stored: bool = False) -> bytes:
    """A zip of name -> bytes; encrypted sets the PKWARE encryption flag on each member."""
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = method
            archive.writestr(info, data)
    raw = buffer.getvalue()
    if encrypted:
        raw = _set_encrypted_flags(raw)
    return raw


def _set_encrypted_flags(raw: bytes) -> bytes:
    # zipfile cannot write encrypted archives; the flag (APPNOTE §4.4.4 bit 0) in both the
    # local headers and the central directory is what readers go by, as for a real one.
    data = bytearray(raw)
    for signature, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature)
        while at >= 0:
            data[at + flag_offset] |= 0x01
            at = data.find(signature, at + 4)
    return bytes(data)


def raw_message(part_headers: str, body: str = "AAAA") -> bytes:
    """A multipart message whose attachment part has exactly these header lines."""
    return (
        "From: sender@example.net\r\nTo: alice@example.test\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/mixed; boundary="b"\r\n\r\n'
        "--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n"
        f"--b\r\n{part_headers}\r\nContent-Transfer-Encoding: base64\r\n\r\n{body}\r\n--b--\r\n"
    ).encode()
