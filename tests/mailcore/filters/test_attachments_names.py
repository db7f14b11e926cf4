"""Attachments are blocked by name: the extension after Windows' own clean-up, from either header."""
import base64

import pytest

from mailcore.filters.attachments import blocked
from mailcore.filters.models import FilterPolicy
from tests.mailcore.filters.attachment_mail import raw_message, with_attachment

POLICY = FilterPolicy()  # the defaults


def test_a_plain_exe_is_blocked():
    reason = blocked(with_attachment("setup.exe", b"\x00\x01"), POLICY)
    assert reason and "setup.exe" in reason and ".exe" in reason


def test_a_double_extension_is_blocked_by_the_last_one():
    assert "invoice.pdf.exe" in blocked(with_attachment("invoice.pdf.exe", b"\x00"), POLICY)


@pytest.mark.parametrize("name", ["invoice.pdf.exe.", "invoice.pdf.exe . .", "INVOICE.EXE", "C:\\temp\\run.bat"])
def test_trailing_dots_spaces_case_and_paths_do_not_hide_the_extension(name):
    assert blocked(with_attachment(name, b"\x00"), POLICY)


def test_a_right_to_left_override_does_not_hide_exe():
    # Shown as "invoiceexe.pdf" by a reader honouring U+202E; Windows runs it as .exe.
    assert blocked(with_attachment("invoice\u202efdp.exe", b"\x00"), POLICY)


def test_an_rfc_2231_encoded_name_is_decoded():
    headers = ("Content-Type: application/octet-stream\r\n"
               "Content-Disposition: attachment; filename*=UTF-8''h%C3%B3a%20%C4%91%C6%A1n.scr")
    assert "hóa đơn.scr" in blocked(raw_message(headers), POLICY)


def test_an_rfc_2231_name_in_continuations_is_decoded():
    headers = ("Content-Type: application/octet-stream\r\n"
               "Content-Disposition: attachment; filename*0*=UTF-8''report%20; filename*1=2026.js")
    assert "report 2026.js" in blocked(raw_message(headers), POLICY)


def test_an_rfc_2047_encoded_name_is_decoded():
    encoded = "=?UTF-8?B?" + base64.b64encode("thư mời.vbs".encode()).decode() + "?="
    headers = f'Content-Type: application/octet-stream; name="{encoded}"'
    assert "thư mời.vbs" in blocked(raw_message(headers), POLICY)


def test_the_content_type_name_counts_even_when_the_filename_looks_harmless():
    headers = ('Content-Type: application/octet-stream; name="run.cmd"\r\n'
               'Content-Disposition: attachment; filename="notes.txt"')
    assert "run.cmd" in blocked(raw_message(headers), POLICY)


@pytest.mark.parametrize("name", ["report.pdf", "letter.docx", "photo.jpg", "no-extension", "exe"])
def test_ordinary_attachments_pass(name):
    assert blocked(with_attachment(name, b"%PDF-1.7 ordinary bytes"), POLICY) is None


def test_a_message_without_attachments_passes():
    assert blocked(b"From: a@example.net\r\nSubject: hi\r\n\r\nhello\r\n", POLICY) is None


def test_the_domains_own_list_replaces_the_defaults():
    policy = FilterPolicy(blocked_extensions="pdf", blocked_types="")
    assert blocked(with_attachment("report.pdf", b"x"), policy)
    assert blocked(with_attachment("setup.exe", b"x"), policy) is None


def test_an_empty_policy_blocks_nothing():
    assert blocked(with_attachment("setup.exe", b"MZ"), FilterPolicy(blocked_extensions="", blocked_types="")) is None


def test_an_attached_message_is_looked_into():
    inner = with_attachment("payload.js", b"alert(1)").decode()
    raw = raw_message("Content-Type: message/rfc822").replace(
        b"Content-Transfer-Encoding: base64\r\n\r\nAAAA", b"\r\n" + inner.encode())
    assert "payload.js" in blocked(raw, POLICY)


@pytest.mark.parametrize("raw", [
    b"",
    b"Content-Type: multipart/mixed; boundary=\r\n\r\n--\r\n",
    b"Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Disposition: attachment; filename*0*=x''%ZZ; "
    b"filename*=y\r\n\r\n",
    b"\xff\xfe garbage \x00\r\n\r\n\x00",
])
def test_malformed_mime_never_raises(raw):
    blocked(raw, POLICY)
