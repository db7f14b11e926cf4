"""Header blocks split into fields the way the email package reads them (RFC 5322 §2.2)."""
from email.utils import collapse_rfc2231_value

from mailcore.mime.fields import parse_fields


def test_fields_keep_order_and_folding_and_ignore_name_case():
    headers = parse_fields(b"Subject: one\r\n two\r\nX-Tag: a\r\nx-tag: b\r\n\r\nbody: not a field\r\n")
    assert headers.fields == [("Subject", "one\r\n two"), ("X-Tag", "a"), ("x-tag", "b")]
    assert headers.get("SUBJECT") == "one\r\n two"
    assert headers.get_all("X-TAG") == ["a", "b"]
    assert headers.get("body") is None and headers.get_all("missing") is None


def test_malformed_lines_are_dropped_or_end_the_header():
    headers = parse_fields(
        b"From MAILER-DAEMON Mon Nov  2 10:00:00 2026\r\n"  # mbox separator
        b"  orphan continuation\r\n"
        b": no name\r\n"
        b" continues the nameless field\r\n"
        b"To: a@example.test\r\n"
        b"this line is no field\r\n"
        b"Cc: after the end\r\n"
    )
    assert headers.fields == [("To", "a@example.test")]


def test_8bit_headers_decode_as_utf8_else_latin1_and_nul_is_dropped():
    headers = parse_fields("Subject: Hóa đơn\x00 ".encode() + b"\xff\r\nFrom: Jos\xe9 Pe\xf1a <j@x.test>\r\n")
    assert headers.get("subject") == "Hóa đơn ÿ"
    assert headers.addresses("from") == [("José Peña", "j@x.test")]


def test_parameters_decode_rfc2231_and_quoting():
    headers = parse_fields(
        b"Content-Type: text/plain; charset=\"utf-8\"; format=flowed\r\n"
        b"Content-Disposition: attachment;\r\n filename*=utf-8''H%C3%B3a%20%C4%91%C6%A1n.pdf\r\n"
    )
    assert headers.get_params() == [("text/plain", ""), ("charset", "utf-8"), ("format", "flowed")]
    name = dict(headers.get_params("content-disposition"))["filename"]
    assert collapse_rfc2231_value(name) == "Hóa đơn.pdf"
    assert headers.get_params("content-location") is None


def test_address_lists_parse_once_and_drop_empty_entries():
    headers = parse_fields(b"To: \"Nguyen, An\" <an@example.test>, , b@example.test\r\nTo: c@example.test\r\n")
    pairs = headers.addresses("to")
    assert pairs == [("Nguyen, An", "an@example.test"), ("", "b@example.test"), ("", "c@example.test")]
    assert headers.addresses("TO") is pairs
    assert headers.addresses("cc") == []
