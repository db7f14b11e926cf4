"""Send: the MIME built from the form, Bcc kept out of what leaves, the copy in Sent."""
from django.core.files.uploadedfile import SimpleUploadedFile

from mailcore.contacts.models import Contact

from .conftest import form, in_folder, parsed_copy, queued

PDF = b"%PDF-1.4 not really a PDF \x00\xff\x10" * 20


def test_the_message_is_built_and_queued_without_its_bcc(alice_client, send_at_once, bob):
    upload = SimpleUploadedFile("Hóa đơn tháng 11.pdf", PDF, content_type="application/pdf")
    response = alice_client.post("/mail/compose/", {**form(
        to='"Bob B." <bob@example.test>', cc="carol@example.net", bcc="secret@example.net",
        subject="Hóa đơn tháng 11", body="Xin chào Bob,\nsee attached.\n"), "attachments": [upload]})
    assert response.status_code == 302
    message, recipients = queued()
    assert recipients == {"bob@example.test", "carol@example.net", "secret@example.net"}
    assert message["Bcc"] is None
    assert message["Subject"] == "Hóa đơn tháng 11"
    assert message["To"].addresses[0].display_name == "Bob B."
    assert message["Message-ID"].endswith("@example.test>")
    assert message["Date"] and message["User-Agent"] == "HopThu"
    assert message.get_body(("plain",)).get_content().replace("\r\n", "\n") == "Xin chào Bob,\nsee attached.\n"
    (attachment,) = message.iter_attachments()
    assert attachment.get_filename() == "Hóa đơn tháng 11.pdf"
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_payload(decode=True) == PDF
    (sent,) = in_folder(send_at_once.account, "\\Sent")
    assert parsed_copy(sent)["Bcc"] == "secret@example.net"  # the sender's copy keeps it


def test_the_raw_headers_are_ascii_encoded_words(alice_client, send_at_once):
    alice_client.post("/mail/compose/", form(to="carol@example.net", subject="Chào buổi sáng"))
    (sent,) = in_folder(send_at_once.account, "\\Sent")
    from mailcore.store.fetch import fetch_raw

    header = fetch_raw(sent).split(b"\r\n\r\n")[0]
    assert header.isascii() and b"=?utf-8?" in header.lower()


def test_rich_text_is_sanitised_and_sent_with_a_text_version(alice_client, send_at_once):
    html = ('<div><b>Bold</b> and <a href="https://example.net/">a link</a></div>'
            '<script>alert(1)</script><img src="https://tracker.example/x.png">'
            '<a href="javascript:alert(1)">bad</a><ul><li>one</li></ul>')
    alice_client.post("/mail/compose/", form(to="carol@example.net", html=html, body="ignored"))
    message, _recipients = queued()
    assert message.get_content_type() == "multipart/alternative"
    sent_html = message.get_body(("html",)).get_content()
    assert "<b>Bold</b>" in sent_html and 'href="https://example.net/"' in sent_html
    assert "<script" not in sent_html and "<img" not in sent_html and "javascript:" not in sent_html
    text = message.get_body(("plain",)).get_content()
    assert "Bold and a link" in text and "one" in text and "ignored" not in text


def test_an_alias_may_be_the_sender(alice_client, send_at_once):
    from mailcore.directory.services import create_alias

    create_alias("sales@example.test", ["alice@example.test"])
    alice_client.post("/mail/compose/", form(from_address="sales@example.test", to="carol@example.net"))
    message, _recipients = queued()
    assert message["From"].addresses[0].addr_spec == "sales@example.test"


def test_the_recipients_are_remembered_as_contacts(alice_client, send_at_once):
    alice_client.post("/mail/compose/", form(to="Carol <carol@example.net>", bcc="dan@example.net"))
    assert set(Contact.objects.filter(account=send_at_once.account).values_list("address", "name", "sent_count")) \
        == {("carol@example.net", "Carol", 1), ("dan@example.net", "", 1)}


def test_the_signature_starts_a_new_message(alice_client, alice):
    from webmail.models import preferences_for

    preferences = preferences_for(alice)
    preferences.signature = "Alice\nExample Ltd"
    preferences.save()
    body = alice_client.get("/mail/compose/").context["form"]["body"].value()
    assert body == "\n\n-- \nAlice\nExample Ltd\n"
