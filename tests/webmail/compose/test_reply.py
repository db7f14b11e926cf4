"""Reply, reply-all and forward: the prefilled form, the thread headers (RFC 5322
§3.6.4), quoting, and \\Answered on the original once the reply is sent."""
from mailcore.store.models import Message

from .conftest import form, queued, stored

ORIGINAL = (b"From: Carol Client <carol@example.net>\r\nTo: alice@example.test, dan@example.net\r\n"
            b"Cc: Bob <bob@example.test>, ALICE@example.test\r\nSubject: Re: RE: Fwd: Invoice\r\n"
            b"Date: Tue, 03 Nov 2026 09:15:00 +0000\r\nMessage-ID: <orig@example.net>\r\n"
            b"References: <first@example.net>\r\nMIME-Version: 1.0\r\n"
            b"Content-Type: multipart/mixed; boundary=b\r\n\r\n"
            b"--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPlease pay.\r\nThanks\r\n"
            b"--b\r\nContent-Type: application/pdf; name=invoice.pdf\r\n"
            b"Content-Disposition: attachment; filename=invoice.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            b"JVBERi0xLjQgaW52b2ljZQ==\r\n--b--\r\n")


def original(alice):
    appended = stored(alice, ORIGINAL)
    return appended.folder_id, appended.uid


def test_reply_prefills_the_thread_headers_subject_and_quote(alice_client, alice):
    folder_id, uid = original(alice)
    initial = alice_client.get(f"/mail/folder/{folder_id}/{uid}/reply/").context["form"].initial
    assert initial["to"] == "Carol Client <carol@example.net>"
    assert initial["cc"] == ""
    assert initial["subject"] == "Re: Invoice"  # not "Re: Re: RE: Fwd: Invoice"
    assert initial["in_reply_to"] == "<orig@example.net>"
    assert initial["references"] == "<first@example.net> <orig@example.net>"
    assert "Carol Client <carol@example.net> wrote:\n> Please pay.\n> Thanks\n" in initial["body"]
    assert initial["body"].startswith("\n\nOn ")


def test_reply_all_copies_everyone_but_alice(alice_client, alice):
    folder_id, uid = original(alice)
    initial = alice_client.get(f"/mail/folder/{folder_id}/{uid}/reply-all/").context["form"].initial
    assert initial["to"] == "Carol Client <carol@example.net>"
    assert initial["cc"] == "dan@example.net, Bob <bob@example.test>"


def test_sending_the_reply_marks_the_original_answered(alice_client, alice, send_at_once, bob):
    folder_id, uid = original(alice)
    initial = alice_client.get(f"/mail/folder/{folder_id}/{uid}/reply/").context["form"].initial
    alice_client.post("/mail/compose/", form(**{key: initial[key] for key in (
        "to", "subject", "body", "in_reply_to", "references")}))
    message, _recipients = queued()
    assert message["In-Reply-To"] == "<orig@example.net>"
    assert message["References"] == "<first@example.net> <orig@example.net>"
    assert message["Subject"] == "Re: Invoice"
    assert Message.objects.get(folder_id=folder_id, uid=uid).answered


def test_forward_carries_the_attachments(alice_client, alice, send_at_once):
    folder_id, uid = original(alice)
    page = alice_client.get(f"/mail/folder/{folder_id}/{uid}/forward/")
    initial = page.context["form"].initial
    assert initial["subject"] == "Fwd: Invoice" and "Please pay." in initial["body"]
    assert "invoice.pdf" in page.content.decode()
    alice_client.post("/mail/compose/", form(to="dan@example.net", subject=initial["subject"], body=initial["body"],
                                             source=initial["source"], keep=["0"]))
    message, _recipients = queued()
    (attachment,) = message.iter_attachments()
    assert attachment.get_filename() == "invoice.pdf"
    assert attachment.get_payload(decode=True) == b"%PDF-1.4 invoice"
    assert message["In-Reply-To"] is None
    assert not Message.objects.get(folder_id=folder_id, uid=uid).answered


def test_an_unticked_attachment_is_left_out(alice_client, alice, send_at_once):
    folder_id, uid = original(alice)
    alice_client.post("/mail/compose/", form(to="dan@example.net", source=f"{folder_id}:{uid}"))
    message, _recipients = queued()
    assert list(message.iter_attachments()) == []


def test_query_parameters_lead_to_reply_and_forward(alice_client, alice):
    folder_id, uid = original(alice)
    for parameter, path in (("reply", "reply"), ("reply_all", "reply-all"), ("forward", "forward")):
        response = alice_client.get(f"/mail/compose/?{parameter}={folder_id}:{uid}")
        assert response.url == f"/mail/folder/{folder_id}/{uid}/{path}/"


def test_another_accounts_message_is_not_found(alice_client, alice, bob, bob_client, send_at_once):
    folder_id, uid = original(alice)
    assert bob_client.get(f"/mail/folder/{folder_id}/{uid}/reply/").status_code == 404
    assert bob_client.get(f"/mail/folder/{folder_id}/{uid}/forward/").status_code == 404
    response = bob_client.post("/mail/compose/", form(from_address="bob@example.test", to="dan@example.net",
                                                      source=f"{folder_id}:{uid}", keep=["0"]))
    assert response.status_code == 404
