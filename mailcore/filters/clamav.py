"""Virus scanning through clamd's INSTREAM command (ClamAV's clamd(8) protocol).

The whole message goes to clamd as one stream: clamd decodes the MIME parts (base64,
quoted-printable) and archives itself, so one scan covers attachments and zips inside them.

Where clamd is (`scanner()`), from HOPTHU_CLAMD:
- "auto" (the default): a clamd running on this machine is used without configuration.
  Each entry of HOPTHU_CLAMD_SEARCH is tried in turn: a Unix socket is used as it is, a
  regular file is read as a clamd.conf and its LocalSocket is used if that socket exists
  (Debian's clamav-daemon: /etc/clamav/clamd.conf names /run/clamav/clamd.ctl). Nothing
  found: no scanning. A found socket nobody answers on (clamd stopped, its socket file
  left behind) also means no scanning, not a scanner that is down.
- "off" or "": no virus scanning, even with a clamd on the machine.
- "host:port" (TCP) or an absolute socket path ("/run/clamav/clamd.ctl", also written
  "unix:/run/clamav/clamd.ctl"): that clamd; when it does not answer the domain policy
  (scanner_down) decides.
HOPTHU_CLAMD_TIMEOUT: seconds for connect and each read/write, default 30.
"""
import logging
import os
import socket
import stat
import struct
from dataclasses import dataclass

from django.conf import settings

from .types import ScannerUnavailable, VirusResult

log = logging.getLogger(__name__)
CHUNK = 64 * 1024
MAX_REPLY = 4096
OFF = {"", "off", "none", "no", "0", "false"}
AUTO = "auto"
MAX_CONF_BYTES = 1024 * 1024  # a clamd.conf is a few kB; never read a huge file named by mistake


class NotRunning(ScannerUnavailable):
    """An autodetected clamd socket with nobody behind it: scanning is off, not down."""


@dataclass(frozen=True)
class Scanner:
    """Where clamd listens: a Unix socket path, or a TCP (host, port)."""

    path: str = ""
    host: str = ""
    port: int = 0
    detected: bool = False  # found by HOPTHU_CLAMD=auto, not named by the operator

    def __str__(self):
        return self.path or f"{self.host}:{self.port}"


def scanner() -> Scanner | None:
    """The clamd to ask, or None when virus scanning is off (see the module docstring)."""
    value = settings.HOPTHU_CLAMD.strip()
    if value.lower() in OFF:
        return None
    if value.lower() == AUTO:
        return detect(settings.HOPTHU_CLAMD_SEARCH)
    path = value.removeprefix("unix:")
    if path.startswith("/"):
        return Scanner(path=path)
    host, sep, port = value.rpartition(":")
    if not sep or not port.isdigit():
        raise ScannerUnavailable(f"HOPTHU_CLAMD is not host:port, a socket path, auto or off: {value!r}")
    return Scanner(host=host.strip("[]"), port=int(port))


def enabled() -> bool:
    return scanner() is not None


def detect(search) -> Scanner | None:
    """The first clamd socket the search path leads to (a socket, or a clamd.conf's LocalSocket)."""
    for entry in search:
        kind = _kind(entry)
        if kind == "socket":
            return Scanner(path=entry, detected=True)
        if kind == "file":
            named = local_socket(entry)
            if named and _kind(named) == "socket":
                return Scanner(path=named, detected=True)
    return None


def _kind(path: str) -> str:
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):  # missing, unreadable, or a NUL in the name
        return ""
    if stat.S_ISSOCK(mode):
        return "socket"
    return "file" if stat.S_ISREG(mode) else ""


def local_socket(conf_path: str) -> str:
    """The LocalSocket a clamd.conf names ("" if none), read as clamd reads it:
    "Option value" lines, # comments, the option name case-sensitive (clamd.conf(5))."""
    try:
        with open(conf_path, "rb") as conf:
            text = conf.read(MAX_CONF_BYTES).decode("utf-8", "replace")
    except OSError:
        return ""
    for line in text.splitlines():
        words = line.split(None, 1)
        if len(words) == 2 and words[0] == "LocalSocket":
            return words[1].split("#", 1)[0].strip().strip('"')
    return ""


def scan(raw: bytes, where: Scanner | None = None) -> VirusResult:
    """Ask clamd about one message; any failure to get a clear verdict is ScannerUnavailable
    (NotRunning for an autodetected socket nobody listens on).

    A message over clamd's StreamMaxLength is unscanned, not clean: it raises too, and the
    domain policy (scanner_down) decides whether it is tempfailed or accepted.
    """
    where = where or scanner()
    if where is None:
        raise ScannerUnavailable("virus scanning is off")
    try:
        with _connect(where) as sock:
            reply = _instream(sock, raw)
    except (ConnectionRefusedError, FileNotFoundError) as exc:
        if where.detected:
            raise NotRunning(f"clamd at {where}: {exc}") from exc
        raise ScannerUnavailable(f"clamd at {where}: {exc}") from exc
    except OSError as exc:  # reset, timeout (socket.timeout is an OSError)
        raise ScannerUnavailable(f"clamd at {where}: {exc}") from exc
    return _verdict(reply)


def _connect(where: Scanner) -> socket.socket:
    timeout = float(settings.HOPTHU_CLAMD_TIMEOUT)
    if not where.path:
        return socket.create_connection((where.host, where.port), timeout=timeout)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.settimeout(timeout)
        sock.connect(where.path)
    except BaseException:
        sock.close()
        raise
    return sock


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
