"""Attachments: listed with name, type and size; downloaded, never rendered."""
from urllib.parse import quote

from django.urls import reverse

from tests.webmail.reading.mails import message, put

PDF = b"%PDF-1.4\n" + b"0" * 3000


def test_attachments_are_listed_with_name_type_size_and_link(alice_client, alice):
    raw = message(text="see attached", attachments=[("report.pdf", "application", "pdf", PDF)])
    folder_id, uid = put(alice, raw)
    html = alice_client.get(reverse("webmail:message", args=[folder_id, uid])).content.decode()
    assert "1 attachment" in html
    assert f'href="{reverse("webmail:part", args=[folder_id, uid, "2"])}"' in html
    assert "report.pdf" in html and "application/pdf" in html
    assert "2.9\xa0KB" in html  # 3009 bytes, estimated from the base64 length


def test_a_download_has_its_type_and_an_rfc6266_filename(alice_client, alice):
    raw = message(text="x", attachments=[("Báo cáo tháng 11.pdf", "application", "pdf", PDF)])
    folder_id, uid = put(alice, raw)
    response = alice_client.get(reverse("webmail:part", args=[folder_id, uid, "2"]))
    assert response.status_code == 200
    assert response.content == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename=\"B_o c_o th_ng 11.pdf\"; "
        f"filename*=UTF-8''{quote('Báo cáo tháng 11.pdf', safe='')}")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")


def test_an_html_attachment_is_downloaded_not_shown(alice_client, alice):
    page = b"<script>parent.document.title='pwned'</script>"
    folder_id, uid = put(alice, message(text="x", attachments=[("page.html", "text", "html", page)]))
    response = alice_client.get(reverse("webmail:part", args=[folder_id, uid, "2"]))
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert response.content == page


def test_an_svg_attachment_is_downloaded_not_shown(alice_client, alice):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
    folder_id, uid = put(alice, message(text="x", attachments=[("a.svg", "image", "svg+xml", svg)]))
    response = alice_client.get(reverse("webmail:part", args=[folder_id, uid, "2"]) + "?inline=1")
    assert response["Content-Disposition"].startswith("attachment;")


def test_a_filename_cannot_break_the_header_or_climb_directories(alice_client, alice):
    raw = message(text="x", attachments=[('../../etc/pass"wd;x.txt', "text", "plain", b"x")])
    folder_id, uid = put(alice, raw)
    disposition = alice_client.get(reverse("webmail:part", args=[folder_id, uid, "2"]))["Content-Disposition"]
    assert disposition.startswith('attachment; filename="_.._etc_pass_wd_x.txt"')
    assert "filename*=UTF-8''_.._etc_pass%22wd%3Bx.txt" in disposition


def test_a_part_without_a_name_gets_one_from_its_type(alice_client, alice):
    folder_id, uid = put(alice, message(text="x", attachments=[("", "application", "pdf", PDF)]))
    html = alice_client.get(reverse("webmail:message", args=[folder_id, uid])).content.decode()
    assert "part-2.pdf" in html


def test_a_missing_section_is_not_found(alice_client, alice):
    folder_id, uid = put(alice, message(text="x"))
    assert alice_client.get(reverse("webmail:part", args=[folder_id, uid, "7"])).status_code == 404
    assert alice_client.get(f"/mail/folder/{folder_id}/{uid}/part/0/").status_code == 404
    assert alice_client.get(f"/mail/folder/{folder_id}/{uid}/part/1..2/").status_code == 404
