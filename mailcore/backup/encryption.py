"""Encrypting an archive as a stream: AES-256-GCM in chunks under a key from a passphrase.

The format (docs/backup.md, "Encryption"), version 1:

    header   b"HTBKENC1" | salt (16 bytes) | nonce prefix (7 bytes)
    chunks   length (4 bytes, big-endian, of the ciphertext) | ciphertext with its 16-byte tag

The key is scrypt(passphrase, salt, n=2**15, r=8, p=1), 32 bytes. Chunk i (from 0) is
sealed with the nonce prefix | i (4 bytes, big-endian) | 1 if it is the last chunk else 0,
and the whole header as associated data: this is the STREAM construction (Hoang, Reyhanitabar,
Rogaway, Vizár 2015), so chunks cannot be reordered, dropped, or the stream cut short without
the reader noticing. The primitives are the `cryptography` package's; nothing here is one.
"""
import os
import struct

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

MAGIC = b"HTBKENC1"
SALT_BYTES = 16
PREFIX_BYTES = 7
HEADER_BYTES = len(MAGIC) + SALT_BYTES + PREFIX_BYTES
CHUNK_BYTES = 1024 * 1024  # of clear text per chunk
TAG_BYTES = 16
MAX_CHUNKS = 2**32  # the counter's four bytes


class EncryptionError(Exception):
    """The archive cannot be opened: no key, the wrong key, or damaged."""


def is_encrypted(head: bytes) -> bool:
    return head.startswith(MAGIC)


def _key(passphrase: str, salt: bytes) -> bytes:
    return Scrypt(salt=salt, length=32, n=2**15, r=8, p=1).derive(passphrase.encode())


def _nonce(prefix: bytes, index: int, last: bool) -> bytes:
    if index >= MAX_CHUNKS:
        raise EncryptionError("the archive is too large for one encrypted stream")
    return prefix + struct.pack(">IB", index, 1 if last else 0)


class EncryptingWriter:
    """A write-only file object that encrypts what is written to `out` (a binary file)."""

    def __init__(self, out, passphrase: str):
        if not passphrase:
            raise EncryptionError("an empty HOPTHU_BACKUP_KEY encrypts nothing")
        self.out = out
        salt, self.prefix = os.urandom(SALT_BYTES), os.urandom(PREFIX_BYTES)
        self.header = MAGIC + salt + self.prefix
        self.aead = AESGCM(_key(passphrase, salt))
        self.buffer = bytearray()
        self.index = 0
        self.closed = False
        out.write(self.header)

    def write(self, data) -> int:
        self.buffer += data
        # Keep at least one byte back: the last chunk must be sealed as the last.
        while len(self.buffer) > CHUNK_BYTES:
            self._seal(bytes(self.buffer[:CHUNK_BYTES]), last=False)
            del self.buffer[:CHUNK_BYTES]
        return len(data)

    def _seal(self, chunk: bytes, last: bool):
        sealed = self.aead.encrypt(_nonce(self.prefix, self.index, last), chunk, self.header)
        self.out.write(struct.pack(">I", len(sealed)) + sealed)
        self.index += 1

    def flush(self):
        pass

    def close(self):
        """Seal the rest as the last chunk (possibly empty); does not close `out`."""
        if not self.closed:
            self._seal(bytes(self.buffer), last=True)
            self.buffer.clear()
            self.closed = True


class DecryptingReader:
    """A read-only file object giving the clear text of an encrypted stream `source`."""

    def __init__(self, source, passphrase: str | None):
        header = _read_exactly(source, HEADER_BYTES)
        if not is_encrypted(header) or len(header) < HEADER_BYTES:
            raise EncryptionError("not an encrypted HopThu archive")
        if not passphrase:
            raise EncryptionError("the archive is encrypted: set HOPTHU_BACKUP_KEY to its key")
        self.source = source
        self.header = header
        self.prefix = header[len(MAGIC) + SALT_BYTES:]
        self.aead = AESGCM(_key(passphrase, header[len(MAGIC):len(MAGIC) + SALT_BYTES]))
        self.buffer = b""
        self.index = 0
        self.finished = False

    def _open_next(self):
        length_bytes = _read_exactly(self.source, 4)
        if len(length_bytes) < 4:
            raise EncryptionError("the encrypted archive is cut short (its last chunk is missing)")
        (length,) = struct.unpack(">I", length_bytes)
        if length < TAG_BYTES or length > CHUNK_BYTES + TAG_BYTES:
            raise EncryptionError("the encrypted archive is damaged (a chunk has an impossible length)")
        sealed = _read_exactly(self.source, length)
        if len(sealed) < length:
            raise EncryptionError("the encrypted archive is cut short")
        for last in (False, True):
            try:
                chunk = self.aead.decrypt(_nonce(self.prefix, self.index, last), sealed, self.header)
            except InvalidTag:
                continue
            self.index += 1
            if last:
                self.finished = True
                if self.source.read(1):
                    raise EncryptionError("the encrypted archive has data after its last chunk")
            return chunk
        if self.index == 0:
            raise EncryptionError("the archive does not open with this HOPTHU_BACKUP_KEY (wrong key, or damaged)")
        raise EncryptionError(f"the encrypted archive is damaged (chunk {self.index} fails its check)")

    def read(self, size: int = -1) -> bytes:
        while not self.finished and (size < 0 or len(self.buffer) < size):
            self.buffer += self._open_next()
        if size < 0:
            size = len(self.buffer)
        taken, self.buffer = self.buffer[:size], self.buffer[size:]
        return taken

    def close(self):
        pass


def _read_exactly(source, count: int) -> bytes:
    parts, missing = [], count
    while missing:
        part = source.read(missing)
        if not part:
            break
        parts.append(part)
        missing -= len(part)
    return b"".join(parts)
