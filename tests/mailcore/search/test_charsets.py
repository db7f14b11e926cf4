"""Bodies and subjects in any charset and transfer encoding are decoded before indexing."""
import base64
import quopri
import unicodedata

import pytest

from mailcore.store.models import Message


def cp1258(text: str) -> bytes:
    """Encode Vietnamese the way Windows does: precomposed where cp1258 has it, else base + tone mark."""
    out = b""
    for char in unicodedata.normalize("NFC", text):
        marks = unicodedata.normalize("NFD", char)
        for cut in range(len(marks), 0, -1):  # longest precomposed head first: "ợ" = "ơ" + U+0323
            try:
                out += unicodedata.normalize("NFC", marks[:cut]).encode("cp1258") + marks[cut:].encode("cp1258")
                break
            except UnicodeEncodeError:
                continue
    return out


@pytest.mark.parametrize(("charset", "body", "query"), [
    ("iso-8859-1", "Café crème, señor", "cafe creme senor"),
    ("windows-1252", "naïve “smart quotes” Œuvre", "naive smart quotes œuvre"),
    ("koi8-r", "Привет, мир", "ПРИВЕТ мир"),
    ("utf-8", "Xin chào thế giới", "xin chao the gioi"),
    ("gb2312", "中文 邮件", "邮件"),
    ("shift_jis", "日本語 テスト", "テスト"),
])
def test_it_decodes_the_body_charset(alice, build, deliver, found, charset, body, query):
    deliver(alice, build(charset, body, charset=charset))
    assert found(alice, query) == {charset}


def test_it_decodes_windows_1258_vietnamese_with_combining_tone_marks(alice, build, deliver, found):
    body = cp1258("Hợp đồng đã ký")
    assert b"\xf2" in body  # U+0323 combining dot below: "ợ" has no single cp1258 byte
    deliver(alice, build("cp1258", body, charset="windows-1258"))
    assert found(alice, "hop dong da ky") == {"cp1258"}
    assert found(alice, '"hợp đồng"') == {"cp1258"}


@pytest.mark.parametrize(("encoding", "encode"), [
    ("quoted-printable", quopri.encodestring),
    ("base64", base64.encodebytes),
    ("BASE64", base64.encodebytes),
])
def test_it_undoes_the_transfer_encoding(alice, build, deliver, found, encoding, encode):
    body = encode(("Báo cáo quý ba, ngân sách " * 20).encode("utf-8")).replace(b"\n", b"\r\n")
    deliver(alice, build(encoding, body, encoding=encoding))
    assert found(alice, "ngan sach") == {encoding}
    assert found(alice, "Q3") == set()


def test_it_reads_quoted_printable_in_a_legacy_charset(alice, build, deliver, found):
    body = quopri.encodestring("Привет из Москвы".encode("koi8-r"))
    deliver(alice, build("koi8 qp", body, charset="koi8-r", encoding="quoted-printable"))
    assert found(alice, "москвы") == {"koi8 qp"}


@pytest.mark.parametrize("subject", [
    b"=?utf-8?Q?H=C3=B3a_=C4=91=C6=A1n_th=C3=A1ng_11?=",
    b"=?UTF-8?B?SMOzYSDEkcahbiB0aMOhbmcgMTE=?=",
    b"=?utf-8?q?H=C3=B3a_=C4=91?=\r\n =?utf-8?b?xqFuIHRow6FuZyAxMQ==?=",  # folded, joined without space
    b"=?windows-1258?Q?Ho=E1_=F0=F5n_th=E1ng_11?=",
])
def test_it_decodes_rfc2047_subjects(alice, build, deliver, found, subject):
    deliver(alice, build(subject))
    stored = Message.objects.get()
    assert unicodedata.normalize("NFC", stored.subject) in ("Hóa đơn tháng 11", "Hoá đơn tháng 11")
    assert found(alice, "hoa don") == {stored.subject}
    assert found(alice, "", subject="thang 11") == {stored.subject}


def test_it_decodes_iso_8859_1_encoded_words_next_to_plain_text(alice, build, deliver, found):
    deliver(alice, build(b"Re: =?iso-8859-1?q?Caf=E9?= au lait"))
    assert Message.objects.get().subject == "Re: Café au lait"
    assert found(alice, "cafe lait") == {"Re: Café au lait"}


def test_an_unknown_body_charset_still_indexes_the_text(alice, build, deliver, found):
    deliver(alice, build("unknown", b"invoice 42 caf\xc3\xa9 na\xefve", charset="x-unknown-42"))
    assert found(alice, "invoice 42") == {"unknown"}
    assert found(alice, "cafe") == {"unknown"}  # read as UTF-8, the likeliest guess


@pytest.mark.parametrize("charset", ["hex", "base64", "rot13", "zlib", "idna", "punycode", "undefined",
                                     "unicode_escape", "utf-7", '"utf-8"', ""])
def test_a_charset_naming_a_non_text_codec_does_not_fail_the_append(alice, build, deliver, found, charset):
    deliver(alice, build("odd charset", b"payment due \\ud800 +2AA- \\x00", charset=charset))
    assert found(alice, "payment due") == {"odd charset"}


def test_an_unknown_charset_in_an_encoded_word_does_not_fail_the_append(alice, build, deliver, found):
    deliver(alice, build(b"=?x-klingon?Q?qapla=E9?= report", "body"))
    assert found(alice, "report") == {Message.objects.get().subject}


def test_raw_utf8_headers_are_indexed(alice, build, deliver, found):
    """RFC 6532: internationalized headers are raw UTF-8, no encoded words."""
    raw = build("Hóa đơn".encode(), "body").replace(b"bob@example.test", "Nguyễn Văn An <an@ví-dụ.vn>".encode())
    deliver(alice, raw)
    stored = Message.objects.get()
    assert stored.subject == "Hóa đơn"
    assert stored.from_name == "Nguyễn Văn An"
    assert found(alice, "", sender="nguyen van an") == {"Hóa đơn"}
    assert found(alice, "", subject="hoa don") == {"Hóa đơn"}


def test_nul_bytes_and_lone_surrogates_never_fail_the_append(alice, build, deliver, found):
    """PostgreSQL refuses NUL in text and jsonb, and UTF-8 has no surrogates."""
    raw = build(b"=?utf-8?B?AA==?=Null =?utf-8?Q?x=00y?= subject\x00",
                b"nul \x00 byte \xed\xa0\x80 surrogate",
                headers=b"Content-Disposition: inline; filename*=utf-8''a%00b.txt\r\n")
    deliver(alice, raw)
    stored = Message.objects.get()
    assert "\x00" not in stored.subject + stored.preview
    assert found(alice, "nul byte surrogate") == {stored.subject}
