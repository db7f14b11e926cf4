"""Virus scanning through clamd's INSTREAM command over TCP (ClamAV's clamd(8) protocol).

The whole message goes to clamd as one stream: clamd decodes the MIME parts (base64,
quoted-printable) and archives itself, so one scan covers attachments and zips inside them.

Settings: HOPTHU_CLAMD = "127.0.0.1:3310" ("" = no virus scanning), HOPTHU_CLAMD_TIMEOUT
(seconds for connect and each read/write, default 30).
"""
import socket
import struct

from django.conf import settings

from .types import ScannerUnavailable, VirusResult

CHUNK = 64 * 1024
MAX_REPLY = 4096


def enabled() -> bool:
    return bool(getattr(settings, "HOPTHU_CLAMD", ""))


def scan(raw: bytes) -> VirusResult:
    """Ask clamd about one message; any failure to get a clear verdict is ScannerUnavailable.

    A message over clamd's StreamMaxLength is unscanned, not clean: it raises too, and the
    domain policy (scanner_down) decides whether it is tempfailed or accepted.
    """
    host, port = _address()
    timeout = float(getattr(settings, "HOPTHU_CLAMD_TIMEOUT", 30))
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            reply = _instream(sock, raw)
    except OSError as exc:  # refused, reset, timeout (socket.timeout is an OSError)
        raise ScannerUnavailable(f"clamd at {host}:{port}: {exc}") from exc
    return _verdict(reply)


def _address() -> tuple[str, int]:
    value = getattr(settings, "HOPTHU_CLAMD", "")
    host, sep, port = value.rpartition(":")
    if not sep or not port.isdigit():
        raise ScannerUnavailable(f"HOPTHU_CLAMD is not host:port: {value!r}")
    return host.strip("[]"), int(port)


def _instream(sock: socket.socket, raw: bytes) -> bytes:
    # "z" prefix: the command and its reply end with NUL, not newline.
    try:
        sock.sendall(b"zINSTREAM\0")
        view = memoryview(raw)
        for start in range(0, len(view), CHUNK):
            chunk = view[start:start + CHUNK]
            sock.sendall(struct.pack("!L", len(chunk)) + chunk)
        sock.sendall(struct.pack("!L", 0))
    except (BrokenPipeError, ConnectionResetError):
        # clamd stops reading and answers (then closes) once StreamMaxLength is passed;
        # its reply may already be waiting.
        pass
    return _read_reply(sock)


def _read_reply(sock: socket.socket) -> bytes:
    reply = b""
    while b"\0" not in reply and len(reply) < MAX_REPLY:
        try:
            data = sock.recv(MAX_REPLY)
        except ConnectionResetError:
            break
        if not data:
            break
        reply += data
    return reply.split(b"\0", 1)[0].strip()


def _verdict(reply: bytes) -> VirusResult:
    text = reply.decode("utf-8", "replace")
    if text == "stream: OK":
        return VirusResult(infected=False)
    if text.startswith("stream: ") and text.endswith(" FOUND"):
        return VirusResult(infected=True, name=text[len("stream: "):-len(" FOUND")])
    # "INSTREAM size limit exceeded. ERROR", "... ERROR", an empty or foreign reply.
    raise ScannerUnavailable(f"clamd: {text or 'no reply'}")
