"""Zip archives are opened: member names, archives inside archives, and limits against bombs."""
import pytest

from mailcore.filters import attachments
from mailcore.filters.attachments import blocked
from mailcore.filters.models import FilterPolicy
from tests.mailcore.filters.attachment_mail import with_attachment, zipped

POLICY = FilterPolicy()


def _mail(archive: bytes, name: str = "files.zip") -> bytes:
    return with_attachment(name, archive, "application/zip")


def test_a_zip_holding_an_exe_is_blocked():
    reason = blocked(_mail(zipped({"readme.txt": b"hi", "docs/invoice.pdf.exe": b"MZ"})), POLICY)
    assert "invoice.pdf.exe" in reason and "files.zip" in reason


def test_a_zip_under_another_name_is_still_opened():
    assert blocked(_mail(zipped({"run.vbs": b"x"}), name="report.pdf"), POLICY)


def test_a_zip_of_documents_passes():
    assert blocked(_mail(zipped({"a.pdf": b"%PDF", "b.txt": b"text", "folder/": b""})), POLICY) is None


def test_a_docx_passes_although_it_is_a_zip():
    docx = zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
    assert blocked(with_attachment("letter.docx", docx,
                                   "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
                   POLICY) is None


def test_a_zip_inside_a_zip_is_opened():
    inner = zipped({"setup.exe": b"MZ"})
    assert "setup.exe" in blocked(_mail(zipped({"inner.zip": inner})), POLICY)


def test_a_zip_two_levels_down_is_opened():
    deepest = zipped({"run.js": b"x"})
    middle = zipped({"level2.zip": deepest})
    assert "run.js" in blocked(_mail(zipped({"level1.zip": middle})), POLICY)


def test_a_renamed_zip_inside_a_zip_is_opened():
    assert blocked(_mail(zipped({"photos.dat": zipped({"setup.exe": b"MZ"})})), POLICY)


def test_archives_nested_deeper_than_the_limit_are_blocked():
    archive = zipped({"clean.txt": b"x"})
    for level in range(attachments.MAX_ARCHIVE_DEPTH):
        archive = zipped({f"level{level}.zip": archive})
    assert "nested too deep" in blocked(_mail(archive), POLICY)


def test_clean_nesting_within_the_limit_passes():
    archive = zipped({"clean.txt": b"x"})
    for level in range(attachments.MAX_ARCHIVE_DEPTH - 1):
        archive = zipped({f"level{level}.zip": archive})
    assert blocked(_mail(archive), POLICY) is None


def test_a_nested_zip_bomb_is_not_expanded(monkeypatch):
    # 42.zip's trick: a stored (uncompressed) archive of zeros, deflated inside the outer
    # one: a few kilobytes that must be decompressed to megabytes to read its members.
    monkeypatch.setattr(attachments, "MAX_NESTED_BYTES", 1024 * 1024)
    bomb = zipped({"zeros.txt": bytes(8 * 1024 * 1024)}, stored=True)
    outer = zipped({"bomb.zip": bomb})
    assert len(outer) < 100_000
    assert "too large to inspect" in blocked(_mail(outer), POLICY)


def test_a_nested_archive_lying_about_its_size_is_not_read_past_the_limit(monkeypatch):
    monkeypatch.setattr(attachments, "MAX_NESTED_BYTES", 1024 * 1024)
    bomb = zipped({"zeros.txt": bytes(4 * 1024 * 1024)}, stored=True)
    outer = bytearray(zipped({"bomb.zip": bomb}))
    central = outer.find(b"PK\x01\x02")  # declared uncompressed size: offset 24 of the central entry
    outer[central + 24:central + 28] = (1000).to_bytes(4, "little")
    assert blocked(_mail(bytes(outer)), POLICY)


def test_the_total_decompressed_budget_is_shared_by_all_nested_archives(monkeypatch):
    monkeypatch.setattr(attachments, "MAX_TOTAL_BYTES", 150_000)
    inner = zipped({"data.bin": bytes(1000)}) + bytes(60_000)  # trailing bytes: still a valid zip
    outer = zipped({f"part{i}.zip": inner for i in range(3)})
    assert "too large to inspect" in blocked(_mail(outer), POLICY)


def test_too_many_members_are_blocked(monkeypatch):
    monkeypatch.setattr(attachments, "MAX_MEMBERS", 10)
    assert "too many files" in blocked(_mail(zipped({f"f{i}.txt": b"x" for i in range(11)})), POLICY)


def test_an_encrypted_zip_holding_an_exe_is_blocked_by_name():
    assert "setup.exe" in blocked(_mail(zipped({"setup.exe": b"MZ"}, encrypted=True)), POLICY)


def test_an_encrypted_zip_of_documents_passes():
    assert blocked(_mail(zipped({"contract.pdf": b"%PDF"}, encrypted=True)), POLICY) is None


def test_an_encrypted_archive_inside_an_archive_is_blocked():
    inner = zipped({"notes.txt": b"x"})
    outer = zipped({"secret.zip": inner}, encrypted=True)
    assert "encrypted archive" in blocked(_mail(outer), POLICY)


@pytest.mark.parametrize("damaged", [b"PK\x03\x04 truncated", zipped({"a.txt": b"x"})[:-30]])
def test_a_damaged_zip_is_blocked(damaged):
    assert "damaged zip" in blocked(_mail(damaged), POLICY)
