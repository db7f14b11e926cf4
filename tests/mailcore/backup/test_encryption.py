"""HOPTHU_BACKUP_KEY encrypts archives (AES-256-GCM in chunks, STREAM construction): an
encrypted archive verifies and restores with its key, and fails with a clear error with no
key, the wrong key, a cut-short file or a changed byte."""
import io

import pytest

from mailcore.backup.encryption import CHUNK_BYTES, DecryptingReader, EncryptingWriter, EncryptionError
from mailcore.backup.restore import restore_account
from mailcore.backup.runs import run_backup
from mailcore.backup.verify import verify_archive
from mailcore.store.models import Message


def _sealed(clear: bytes, key="k") -> bytes:
    out = io.BytesIO()
    writer = EncryptingWriter(out, key)
    writer.write(clear)
    writer.close()
    return out.getvalue()


@pytest.mark.parametrize("size", [0, 1, CHUNK_BYTES - 1, CHUNK_BYTES, CHUNK_BYTES + 1, 2 * CHUNK_BYTES + 5])
def test_any_length_comes_back_whole(size):
    clear = bytes(range(256)) * (size // 256) + bytes(size % 256)
    assert DecryptingReader(io.BytesIO(_sealed(clear)), "k").read() == clear


def test_the_wrong_key_is_named_as_such():
    with pytest.raises(EncryptionError, match="does not open with this HOPTHU_BACKUP_KEY"):
        DecryptingReader(io.BytesIO(_sealed(b"secret mail")), "not the key").read()


def test_a_stream_cut_at_a_chunk_boundary_is_refused():
    sealed = _sealed(b"x" * (CHUNK_BYTES + 10))
    first_chunk_end = 31 + 4 + CHUNK_BYTES + 16  # header, length, chunk, tag
    with pytest.raises(EncryptionError, match="cut short"):
        DecryptingReader(io.BytesIO(sealed[:first_chunk_end]), "k").read()


def test_a_changed_byte_is_refused():
    sealed = bytearray(_sealed(b"y" * 1000))
    sealed[-20] ^= 1
    with pytest.raises(EncryptionError):
        DecryptingReader(io.BytesIO(bytes(sealed)), "k").read()


def test_an_encrypted_archive_verifies_and_restores_with_its_key(installation, settings):
    settings.HOPTHU_BACKUP_KEY = "correct horse battery staple backups"
    run = run_backup(account="bob@example.test")
    assert run.encrypted and run.path.endswith(".enc")
    with open(run.path, "rb") as archive:
        head = archive.read(4096)
    assert head.startswith(b"HTBKENC1") and b"bob@example.test" not in head
    assert verify_archive(run.path).counts["messages"] == 2
    Message.objects.filter(account=installation["bob"]).delete()
    assert restore_account(run.path, "bob@example.test").appended == 2


def test_without_the_key_or_with_the_wrong_one_the_error_says_so(installation, settings):
    settings.HOPTHU_BACKUP_KEY = "the right key"
    run = run_backup(account="bob@example.test")
    settings.HOPTHU_BACKUP_KEY = ""
    with pytest.raises(EncryptionError, match="set HOPTHU_BACKUP_KEY"):
        verify_archive(run.path)
    settings.HOPTHU_BACKUP_KEY = "a wrong key"
    with pytest.raises(EncryptionError, match="wrong key"):
        verify_archive(run.path)
    with pytest.raises(EncryptionError, match="wrong key"):
        restore_account(run.path, "bob@example.test")
