"""A minimal, blocking WebSocket client (RFC 6455), just enough to speak WebDriver BiDi.

Why not a library: the project's virtualenv has no WebSocket client (neither `websockets`
nor `websocket-client`), and Firefox's BiDi endpoint on loopback needs only the plain
subset: one text message at a time, no extensions, no TLS. What is here is complete for
that subset: the opening handshake with its accept check (RFC 6455 section 4.1), masked
client frames (5.3), 7/16/64-bit payload lengths (5.2), fragmented messages (5.4), ping,
pong and close (5.5). Anything else the server sends is a protocol error, raised.
"""
import base64
import contextlib
import hashlib
import os
import socket
import struct

# RFC 6455 section 1.3: the GUID the server appends to our key before hashing.
ACCEPT_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
CONTINUATION, TEXT, BINARY, CLOSE, PING, PONG = 0x0, 0x1, 0x2, 0x8, 0x9, 0xA


class WebSocketError(Exception):
    pass


class WebSocket:
    def __init__(self, host, port, path="/", timeout=30.0):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self._buffer = b""
        self._handshake(host, port, path)

    def _handshake(self, host, port, path):
        key = base64.b64encode(os.urandom(16))
        # No Origin header: Firefox's remote agent refuses web origins (a page must not
        # be able to drive the browser), and a non-browser client sends none.
        request = (f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
                   f"Connection: Upgrade\r\nSec-WebSocket-Key: {key.decode()}\r\n"
                   "Sec-WebSocket-Version: 13\r\n\r\n")
        self.sock.sendall(request.encode("ascii"))
        while b"\r\n\r\n" not in self._buffer:
            self._fill()
        head, self._buffer = self._buffer.split(b"\r\n\r\n", 1)
        status, *lines = head.decode("latin-1").split("\r\n")
        if status.split(" ")[1:2] != ["101"]:
            raise WebSocketError(f"handshake refused: {status}")
        headers = {name.strip().lower(): value.strip() for name, value in
                   (line.split(":", 1) for line in lines if ":" in line)}
        expected = base64.b64encode(hashlib.sha1(key + ACCEPT_GUID).digest()).decode()
        if headers.get("sec-websocket-accept") != expected:  # section 4.1, point 4 of the client's checks
            raise WebSocketError("handshake: wrong Sec-WebSocket-Accept")

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise WebSocketError("connection closed by the server")
        self._buffer += chunk

    def _read(self, count):
        while len(self._buffer) < count:
            self._fill()
        data, self._buffer = self._buffer[:count], self._buffer[count:]
        return data

    def _send_frame(self, opcode, payload):
        # Section 5.3: every frame from a client is masked with a fresh random key.
        header = bytes([0x80 | opcode])  # FIN set: we never fragment what we send
        length = len(payload)
        if length < 126:
            header += bytes([0x80 | length])
        elif length < 1 << 16:
            header += bytes([0x80 | 126]) + struct.pack("!H", length)
        else:
            header += bytes([0x80 | 127]) + struct.pack("!Q", length)
        mask = os.urandom(4)
        masked = bytes(byte ^ mask[i % 4] for i, byte in enumerate(payload))
        self.sock.sendall(header + mask + masked)

    def _recv_frame(self):
        first, second = self._read(2)
        fin, opcode, masked, length = first & 0x80, first & 0x0F, second & 0x80, second & 0x7F
        if length == 126:
            (length,) = struct.unpack("!H", self._read(2))
        elif length == 127:
            (length,) = struct.unpack("!Q", self._read(8))
        mask = self._read(4) if masked else None  # servers must not mask (5.1); tolerate it
        payload = self._read(length)
        if mask:
            payload = bytes(byte ^ mask[i % 4] for i, byte in enumerate(payload))
        return bool(fin), opcode, payload

    def send(self, text):
        self._send_frame(TEXT, text.encode("utf-8"))

    def recv(self):
        """Return the next whole text message, answering pings on the way."""
        parts = []
        while True:
            fin, opcode, payload = self._recv_frame()
            if opcode == PING:
                self._send_frame(PONG, payload)
                continue
            if opcode == PONG:
                continue
            if opcode == CLOSE:
                raise WebSocketError(f"closed by the server: {payload[2:].decode('utf-8', 'replace')}")
            if opcode not in (TEXT, CONTINUATION) or (opcode == CONTINUATION) != bool(parts):
                raise WebSocketError(f"unexpected frame opcode {opcode:#x}")
            parts.append(payload)
            if fin:
                return b"".join(parts).decode("utf-8")

    def close(self):
        with contextlib.suppress(OSError):  # the server may have gone already
            self._send_frame(CLOSE, struct.pack("!H", 1000))  # 1000: normal closure (7.4.1)
        self.sock.close()
