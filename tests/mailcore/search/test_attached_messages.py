"""The text of a forwarded or attached message (message/rfc822) is searchable."""
import pytest

from mailcore.store.models import Message

INNER = (
    b"From: Shop <shop@example.vn>\r\nSubject: =?utf-8?Q?H=C3=B3a_=C4=91=C6=A1n?=\r\n"
    b"Content-Type: multipart/alternative; boundary=c\r\n\r\n"
    b"--c\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nT\xe1\xbb\x95ng c\xe1\xbb\x99ng 500.000 \xc4\x91\r\n"
    b"--c\r\nContent-Type: text/html\r\n\r\n<p>zzinnerhtml</p><script>zzscript</script>\r\n"
    b"--c--\r\n"
)


@pytest.mark.parametrize("disposition", [b"", b"Content-Disposition: inline\r\n",
                                         b"Content-Disposition: attachment; filename=invoice.eml\r\n"])
def test_the_text_of_an_attached_message_is_indexed(alice, deliver, found, disposition):
    raw = (
        b"From: bob@example.test\r\nTo: alice@example.test\r\nSubject: Fwd: bill\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: multipart/mixed; boundary=b\r\n\r\n"
        b"--b\r\nContent-Type: text/plain\r\n\r\nSee below.\r\n"
        b"--b\r\nContent-Type: message/rfc822\r\n" + disposition + b"\r\n" + INNER + b"--b--\r\n"
    )
    deliver(alice, raw)
    assert found(alice, "tong cong") == {"Fwd: bill"}
    assert found(alice, "", body="zzinnerhtml") == {"Fwd: bill"}
    assert found(alice, "zzscript") == set()
    assert Message.objects.get().preview.startswith("See below.")
