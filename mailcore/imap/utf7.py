"""Modified UTF-7 for mailbox names (RFC 3501 §5.1.3), used by clients that have not
enabled UTF8=ACCEPT (RFC 9051 §6.3.1): "Hóa đơn" is sent as "H&APM-a &AREBoQ-n".

Printable ASCII stands for itself except "&", written "&-"; anything else is UTF-16,
base64 with "," for "/" and no padding, between "&" and "-".
"""
import base64
import binascii


class InvalidMailboxName(ValueError):
    pass


def encode(name: str) -> str:
    out, pending = [], []

    def flush():
        if pending:
            data = "".join(pending).encode("utf-16-be")
            out.append("&" + base64.b64encode(data).decode().rstrip("=").replace("/", ",") + "-")
            pending.clear()

    for char in name:
        if 0x20 <= ord(char) <= 0x7E:
            flush()
            out.append("&-" if char == "&" else char)
        else:
            pending.append(char)
    flush()
    return "".join(out)


def decode(text: str) -> str:
    """Decode a modified UTF-7 name; raise InvalidMailboxName for what RFC 3501 forbids."""
    out, index = [], 0
    while index < len(text):
        char = text[index]
        if char != "&":
            if not 0x20 <= ord(char) <= 0x7E:
                raise InvalidMailboxName("8-bit characters must be encoded in modified UTF-7")
            out.append(char)
            index += 1
            continue
        end = text.find("-", index + 1)
        if end < 0:
            raise InvalidMailboxName("Unterminated modified UTF-7 sequence")
        chunk = text[index + 1:end]
        if chunk == "":
            out.append("&")
        else:
            padded = chunk.replace(",", "/") + "=" * (-len(chunk) % 4)
            try:
                decoded = base64.b64decode(padded, validate=True).decode("utf-16-be")
            except (binascii.Error, UnicodeDecodeError) as error:
                raise InvalidMailboxName("Invalid modified UTF-7 sequence") from error
            # RFC 3501 §5.1.3: printable ASCII must not be encoded; such names are refused
            # so that one folder has one spelling.
            if not decoded or any(0x20 <= ord(c) <= 0x7E for c in decoded) or encode(decoded) != "&" + chunk + "-":
                raise InvalidMailboxName("Non-canonical modified UTF-7 sequence")
            out.append(decoded)
        index = end + 1
    return "".join(out)
