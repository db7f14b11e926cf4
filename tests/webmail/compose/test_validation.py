"""Bad input on compose gets an error that names its field, and nothing is sent."""
from django.core.files.uploadedfile import SimpleUploadedFile

from mailcore.delivery.models import QueuedMessage

from .conftest import form


def errors(response):
    return response.context["form"].errors


def test_a_bad_address_in_cc_names_cc(alice_client, send_at_once, bob):
    response = alice_client.post("/mail/compose/", form(to="bob@example.test", cc="carol@, dave@example.net"))
    assert response.status_code == 400
    assert list(errors(response)) == ["cc"]
    assert "carol@" in errors(response)["cc"][0]
    assert not QueuedMessage.objects.exists()


def test_an_unknown_local_recipient_names_its_field(alice_client, send_at_once):
    response = alice_client.post("/mail/compose/", form(to="carol@example.net", bcc="nobody@example.test"))
    assert list(errors(response)) == ["bcc"]
    assert "nobody@example.test" in errors(response)["bcc"][0]


def test_a_message_needs_a_recipient(alice_client, send_at_once):
    response = alice_client.post("/mail/compose/", form())
    assert list(errors(response)) == ["to"]


def test_from_must_be_an_address_alice_may_send_as(alice_client, send_at_once, bob):
    response = alice_client.post("/mail/compose/", form(from_address="bob@example.test", to="carol@example.net"))
    assert list(errors(response)) == ["from_address"]
    assert "bob@example.test" in errors(response)["from_address"][0]
    assert not QueuedMessage.objects.exists()


def test_the_from_choices_are_exactly_what_the_policy_allows(alice_client, bob):
    from mailcore.directory.services import create_alias

    create_alias("sales@example.test", ["alice@example.test", "bob@example.test"])
    create_alias("bobs@example.test", ["bob@example.test"])
    choices = [value for value, _label in alice_client.get("/mail/compose/").context["form"].fields[
        "from_address"].choices]
    assert choices == ["alice@example.test", "sales@example.test"]


def test_too_large_attachments_are_refused_on_the_server(alice_client, send_at_once, settings):
    settings.HOPTHU_MAX_MESSAGE_SIZE = 10_000
    upload = SimpleUploadedFile("big.bin", b"x" * 12_000, content_type="application/octet-stream")
    response = alice_client.post("/mail/compose/", {**form(to="carol@example.net"), "attachments": [upload]})
    assert list(errors(response)) == ["attachments"]
    assert not QueuedMessage.objects.exists()


def test_a_message_too_large_once_encoded_is_refused(alice_client, send_at_once, settings):
    settings.HOPTHU_MAX_MESSAGE_SIZE = 10_000
    upload = SimpleUploadedFile("nearly.bin", b"x" * 9_000, content_type="application/octet-stream")
    response = alice_client.post("/mail/compose/", {**form(to="carol@example.net"), "attachments": [upload]})
    assert list(errors(response)) == ["attachments"]  # base64 makes 9,000 bytes 12,000


def test_the_page_shows_the_size_limit_before_upload(alice_client, settings):
    settings.HOPTHU_MAX_MESSAGE_SIZE = 5 * 1024 * 1024
    page = alice_client.get("/mail/compose/").content.decode()
    assert 'data-max-size="5242880"' in page and "At most 5" in page
