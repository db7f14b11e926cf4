"""A bare IMAP connection for commands no client library sends (CATENATE, literal8):
the test writes the exact octets and reads the lines back."""
import socket

PASSWORD = "correct horse battery staple"


class RawImap:
    def __init__(self, port: int, user: str = "alice@example.test"):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.reader = self.sock.makefile("rb")
        self.reader.readline()  # greeting
        self.count = 0
        assert self.command(f'LOGIN {user} "{PASSWORD}"'.encode())[-1].split()[1] == b"OK"

    def command(self, *pieces: bytes) -> list[bytes]:
        """Send a command whose pieces are line text and, between them, synchronizing
        literals given as bytes wrapped in a 1-tuple: (b"data",). Returns every line up
        to and with the tagged reply (with "+" continuations left out)."""
        self.count += 1
        tag = b"r%d" % self.count
        self.sock.sendall(tag + b" ")
        lines = []
        for piece in pieces:
            if isinstance(piece, tuple):
                (data,) = piece
                self.sock.sendall(b"{%d}\r\n" % len(data))
                line = self.reader.readline()
                if not line.startswith(b"+"):
                    return [line]  # refused before the data: the tagged reply
                self.sock.sendall(data)
            else:
                self.sock.sendall(piece)
        self.sock.sendall(b"\r\n")
        while True:
            line = self.reader.readline()
            assert line, "the server closed the connection"
            lines.append(line)
            if line.startswith(tag + b" "):
                return lines

    def close(self):
        self.sock.close()
