"""Attachments are blocked by declared content type, and by what their bytes are."""
from mailcore.filters.attachments import blocked
from mailcore.filters.models import FilterPolicy
from tests.mailcore.filters.attachment_mail import with_attachment

POLICY = FilterPolicy()


def test_a_blocked_content_type_is_blocked_whatever_the_name():
    reason = blocked(with_attachment("update.bin", b"\x00\x00", "application/x-msdownload"), POLICY)
    assert "application/x-msdownload" in reason


def test_a_windows_program_renamed_to_pdf_is_blocked():
    assert "Windows program" in blocked(with_attachment("invoice.pdf", b"MZ\x90\x00" + bytes(60), "application/pdf"),
                                        POLICY)


def test_an_iso_image_renamed_is_blocked_as_a_container():
    image = bytes(32769) + b"CD001" + bytes(100)
    assert "disk image" in blocked(with_attachment("photos.dat", image), POLICY)


def test_iso_and_img_names_are_blocked():
    assert blocked(with_attachment("drivers.iso", b"x"), POLICY)
    assert blocked(with_attachment("drivers.img", b"x"), POLICY)


def test_allowed_types_pass():
    assert blocked(with_attachment("report.pdf", b"%PDF-1.7", "application/pdf"), POLICY) is None
    assert blocked(with_attachment("notes.txt", b"MZ is how this line starts", "text/plain"), POLICY) is None
