"""Binary MIME parts made safe to store and serve as IMAP literals (RFC 3516 §4.4).

A literal8 (~{n}) APPEND may carry parts with "Content-Transfer-Encoding: binary",
whose octets may be NUL or bare CR/LF. Stored as they are, BODY[] could not be sent
in a plain literal (RFC 9051 §9: CHAR8 excludes NUL) and line-ending repair would
corrupt them. So, as Dovecot does, each such part is rewritten as base64: its header's
Content-Transfer-Encoding becomes base64 and its body is the encoding of the same
octets, so BINARY[section] (RFC 3516 §4.2) gives back exactly what was appended.
Every other octet of the message is kept as it is.
"""
import base64

from .structure import parse_structure

LINE_OCTETS = 57  # 57 octets make one 76-character base64 line (RFC 2045 §6.8)


def binary_parts_to_base64(raw: bytes) -> bytes:
    """Return raw with every binary leaf part re-encoded as base64."""
    edits = [(part["header"][0], part["body"][1], _as_base64(raw, part)) for part in _binary_leaves(
        parse_structure(raw))]
    for start, end, replacement in reversed(edits):  # later offsets first: earlier ones stay valid
        raw = raw[:start] + replacement + raw[end:]
    return raw


def _binary_leaves(part):
    if "parts" in part:
        for child in part["parts"]:
            yield from _binary_leaves(child)
    elif "message" in part:
        yield from _binary_leaves(part["message"]["part"])
    elif part.get("encoding") == "binary":
        yield part


def _as_base64(raw: bytes, part: dict) -> bytes:
    header_start, body_start = part["header"]
    body = raw[body_start:part["body"][1]]
    lines = [base64.b64encode(body[i:i + LINE_OCTETS]) for i in range(0, len(body), LINE_OCTETS)]
    return _header_with_base64(raw[header_start:body_start]) + b"".join(line + b"\r\n" for line in lines)


def _header_with_base64(header: bytes) -> bytes:
    """The header block with its Content-Transfer-Encoding field (and folded lines) replaced."""
    out, skipping = [], False
    for line in header.splitlines(keepends=True):
        if skipping and line[:1] in (b" ", b"\t"):
            continue  # a folded continuation of the field being replaced
        skipping = False
        name = line.split(b":", 1)[0].strip().lower() if b":" in line else b""
        if name == b"content-transfer-encoding":
            out.append(b"Content-Transfer-Encoding: base64\r\n")
            skipping = True
            continue
        out.append(line)
    return b"".join(out)
