"""The MIME tree keeps exact byte offsets: BODY[section] returns the octets of each part."""
import pytest

from mailcore.mime.structure import MAX_MIME_DEPTH, MAX_MIME_PARTS, find_part, iter_leaves, parse_structure
from mailcore.store.append import append
from mailcore.store.fetch import fetch_section, get_message

TEXT_PART = b"Content-Type: text/plain; charset=utf-8\r\n\r\nH\xc3\xb3a \xc4\x91\xc6\xa1n\r\nline two"
HTML_PART = b"Content-Type: text/html; charset=utf-8\r\n\r\n<p>H&oacute;a</p>"
ATTACHMENT_MIME = (
    b"Content-Type: application/pdf; name=\"bill.pdf\"\r\n"
    b"Content-Disposition: attachment; filename=\"bill.pdf\"\r\n"
    b"Content-Transfer-Encoding: base64\r\n\r\n"
)
MIXED = (
    b"From: bob@example.test\r\nTo: alice@example.test\r\nSubject: mixed\r\nMIME-Version: 1.0\r\n"
    b"Content-Type: multipart/mixed; boundary=\"outer\"\r\n\r\n"
    b"This is the preamble.\r\n"
    b"--outer\r\nContent-Type: multipart/alternative; boundary=inner\r\n\r\n"
    b"--inner\r\n" + TEXT_PART + b"\r\n"
    b"--inner\r\n" + HTML_PART + b"\r\n"
    b"--inner--\r\n"
    b"\r\n--outer\r\n" + ATTACHMENT_MIME + b"JVBERi0xLjQK\r\n"
    b"--outer--\r\nThe epilogue.\r\n"
)
FORWARD = (
    b"From: alice@example.test\r\nSubject: Fwd: hello\r\nMIME-Version: 1.0\r\n"
    b"Content-Type: multipart/mixed; boundary=b\r\n\r\n"
    b"--b\r\nContent-Type: text/plain\r\n\r\nSee below.\r\n"
    b"--b\r\nContent-Type: message/rfc822\r\n\r\n"
    b"From: Bob <bob@example.test>\r\nTo: carol@example.test\r\nSubject: =?utf-8?Q?h=C3=A9llo?=\r\n"
    b"Message-ID: <inner@example.test>\r\nDate: Mon, 02 Nov 2026 10:00:00 +0700\r\n"
    b"Content-Type: multipart/alternative; boundary=c\r\n\r\n"
    b"--c\r\nContent-Type: text/plain\r\n\r\ninner text\r\n"
    b"--c\r\nContent-Type: text/html\r\n\r\n<b>inner</b>\r\n"
    b"--c--\r\n"
    b"--b--\r\n"
)


def stored(account, raw):
    appended = append(account.pk, "INBOX", raw)
    return get_message(account.pk, "INBOX", appended.uid)


def test_body_sections_return_the_exact_octets_of_each_part(alice):
    message = stored(alice, MIXED)
    assert fetch_section(message, "1.1") == b"H\xc3\xb3a \xc4\x91\xc6\xa1n\r\nline two"
    assert fetch_section(message, "1.2") == b"<p>H&oacute;a</p>"
    assert fetch_section(message, "2") == b"JVBERi0xLjQK"
    assert fetch_section(message, "2.MIME") == ATTACHMENT_MIME
    assert fetch_section(message, "1.1.MIME") == TEXT_PART.split(b"\r\n\r\n")[0] + b"\r\n\r\n"
    alternative = fetch_section(message, "1")
    assert alternative.startswith(b"--inner\r\n") and alternative.endswith(b"--inner--\r\n")
    assert fetch_section(message, "HEADER").endswith(b"boundary=\"outer\"\r\n\r\n")
    assert fetch_section(message, "TEXT").startswith(b"This is the preamble.")
    assert fetch_section(message, "") == MIXED
    assert fetch_section(message, "3") is None
    assert fetch_section(message, "1.3") is None


def test_the_tree_names_types_parameters_and_lines(alice):
    structure = stored(alice, MIXED).structure
    assert (structure["type"], structure["subtype"]) == ("multipart", "mixed")
    leaves = dict(iter_leaves(structure))
    assert list(leaves) == ["1.1", "1.2", "2"]
    assert leaves["1.1"]["params"] == {"charset": "utf-8"}
    assert leaves["1.1"]["lines"] == 1  # line breaks: "line two" ends at the boundary's CRLF
    assert leaves["2"]["disposition"] == ["attachment", {"filename": "bill.pdf"}]
    assert (leaves["2"]["filename"], leaves["2"]["encoding"]) == ("bill.pdf", "base64")
    assert "lines" not in leaves["2"]


def test_a_bare_lf_message_is_stored_with_crlf_and_offsets_into_the_stored_bytes(alice):
    message = stored(alice, MIXED.replace(b"\r\n", b"\n"))
    assert fetch_section(message, "") == MIXED
    assert fetch_section(message, "1.1") == b"H\xc3\xb3a \xc4\x91\xc6\xa1n\r\nline two"
    assert fetch_section(message, "2.MIME") == ATTACHMENT_MIME


def test_a_nested_message_has_its_envelope_and_parts(alice):
    message = stored(alice, FORWARD)
    outer = find_part(message.structure, "2")
    assert (outer["type"], outer["subtype"]) == ("message", "rfc822")
    envelope = outer["message"]["envelope"]
    assert envelope[1] == "=?utf-8?Q?h=C3=A9llo?="  # ENVELOPE is undecoded (RFC 9051 §7.5.2)
    assert envelope[2] == [["Bob", None, "bob", "example.test"]]
    assert envelope[3] == envelope[4] == envelope[2]  # Sender and Reply-To default to From
    assert envelope[9] == "<inner@example.test>"
    assert fetch_section(message, "2.1") == b"inner text"
    assert fetch_section(message, "2.2") == b"<b>inner</b>"
    assert fetch_section(message, "2.HEADER").startswith(b"From: Bob <bob@example.test>\r\n")
    assert fetch_section(message, "2.HEADER").endswith(b"boundary=c\r\n\r\n")
    assert fetch_section(message, "2.TEXT").startswith(b"--c\r\n")
    assert fetch_section(message, "1.HEADER") is None


def test_no_content_type_means_text_plain_us_ascii():
    structure = parse_structure(b"Subject: plain\r\n\r\nhello\r\n")
    assert (structure["type"], structure["subtype"], structure["encoding"]) == ("text", "plain", "7bit")
    assert structure["body"] == [18, 25]
    assert structure["lines"] == 1


@pytest.mark.parametrize("content_type", [b"text", b"/plain", b"foo bar/baz", b"; charset=utf-8"])
def test_an_invalid_content_type_means_text_plain(content_type):
    structure = parse_structure(b"Content-Type: " + content_type + b"\r\n\r\nhello")
    assert (structure["type"], structure["subtype"]) == ("text", "plain")


def test_a_multipart_without_a_boundary_gets_one_empty_part():
    raw = b"Content-Type: multipart/mixed\r\n\r\n--x\r\n\r\nhello\r\n--x--\r\n"
    structure = parse_structure(raw)
    assert len(structure["parts"]) == 1
    assert structure["parts"][0]["body"] == [len(raw), len(raw)]


def test_a_boundary_that_never_appears_gives_one_empty_part():
    raw = b"Content-Type: multipart/mixed; boundary=zz\r\n\r\n--x\r\n\r\nhello\r\n"
    structure = parse_structure(raw)
    assert [(p["type"], p["body"][1] - p["body"][0]) for p in structure["parts"]] == [("text", 0)]


def test_a_missing_close_delimiter_runs_the_last_part_to_the_end():
    raw = b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\none\r\n--b\r\n\r\ntwo\r\nmore"
    structure = parse_structure(raw)
    assert [raw[slice(*p["body"])] for p in structure["parts"]] == [b"one", b"two\r\nmore"]


def test_an_empty_part_stays_inside_its_range():
    raw = b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\n--b\r\n--b--\r\n"
    for _section, part in iter_leaves(parse_structure(raw)):
        assert part["header"][0] <= part["header"][1] == part["body"][0] <= part["body"][1] <= len(raw)


@pytest.mark.parametrize("raw", [b"", b"\r\n", b"\r\n\r\n", b"Subject: x", b"Subject: x\r\n", b"\n\n"])
def test_an_empty_body_or_a_header_without_body_has_a_consistent_range(raw):
    structure = parse_structure(raw)
    assert 0 <= structure["header"][0] <= structure["header"][1] == structure["body"][0]
    assert structure["body"][0] <= structure["body"][1] == len(raw)


def test_an_empty_message_is_appended_and_fetched(alice):
    message = stored(alice, b"")
    assert fetch_section(message, "") == b""
    assert fetch_section(message, "1") == b""


def test_nesting_beyond_max_mime_depth_is_an_opaque_leaf():
    depth = MAX_MIME_DEPTH + 10
    raw = b""
    for level in range(depth):
        raw += f"Content-Type: multipart/mixed; boundary=b{level}\r\n\r\n--b{level}\r\n".encode()
    raw += b"Content-Type: text/plain\r\n\r\ndeep\r\n"
    raw += b"".join(f"--b{level}--\r\n".encode() for level in reversed(range(depth)))
    part, levels = parse_structure(raw), 0
    while "parts" in part:
        part, levels = part["parts"][0], levels + 1
    assert levels == MAX_MIME_DEPTH
    assert part["type"] == "multipart"  # not split further
    assert part["body"][1] <= len(raw)


def test_nested_messages_beyond_max_mime_depth_are_opaque():
    raw = b"Subject: deep\r\n\r\nbottom"
    for _ in range(MAX_MIME_DEPTH + 10):
        raw = b"Content-Type: message/rfc822\r\n\r\n" + raw
    part, levels = parse_structure(raw), 0
    while "message" in part:
        part, levels = part["message"]["part"], levels + 1
    assert levels == MAX_MIME_DEPTH


def test_parts_beyond_max_mime_parts_are_not_split():
    count = MAX_MIME_PARTS + 500
    raw = b"Content-Type: multipart/mixed; boundary=b\r\n\r\n" + b"".join(
        b"--b\r\nContent-Type: text/plain\r\n\r\n%d\r\n" % n for n in range(count)) + b"--b--\r\n"
    structure = parse_structure(raw)
    assert len(structure["parts"]) <= MAX_MIME_PARTS
    assert all(p["body"][1] <= len(raw) for p in structure["parts"])


def test_find_part_refuses_bad_section_numbers():
    structure = parse_structure(MIXED)
    for section in ("0", "1.0", "x", "", "1..1", "-1", "9", "2.2", "1.1.2"):
        assert find_part(structure, section) is None
    # RFC 3501 §6.4.5: only a message (or an encapsulated one) has a part 1 that is its
    # body; a leaf inside a multipart has no parts below it.
    assert find_part(structure, "2.1") is None
    single = parse_structure(b"Subject: x\r\n\r\nhello")
    assert find_part(single, "1") is single
    assert find_part(single, "2") is None


def test_mixed_rfc2231_continuations_do_not_raise():
    """email.utils.decode_params sorts None against ints for "filename*" beside "filename*0*"."""
    raw = (b"Content-Type: application/pdf; name*=utf-8''%C3%A9.pdf\r\n"
           b"Content-Disposition: attachment; filename*0*=utf-8''a; filename*=b\r\n\r\nx")
    structure = parse_structure(raw)
    assert structure["disposition"][0] == "attachment"
    assert structure["filename"] == "é.pdf"


def test_rfc2231_filenames_in_unknown_charsets_are_kept():
    raw = (b"Content-Type: application/pdf\r\n"
           b"Content-Disposition: attachment; filename*=x-unknown''bill%20A.pdf\r\n\r\nx")
    assert parse_structure(raw)["filename"] == "bill A.pdf"
