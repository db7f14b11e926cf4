"""Settings → Export your data: the user's own zip, streamed, after the password again."""
import io
import json
import zipfile

import pytest

from mailcore.store.append import append
from tests.webmail.conftest import enter_password_again

pytestmark = [pytest.mark.django_db, pytest.mark.filterwarnings(
    # The test client is WSGI: it reads the ASGI stream whole, and says so.
    "ignore:StreamingHttpResponse must consume asynchronous iterators")]
PAGE, DOWNLOAD = "/mail/settings/export/", "/mail/settings/export/download/"


def test_the_page_explains_and_links_the_download(alice_client):
    page = alice_client.get(PAGE).content.decode()
    assert DOWNLOAD in page and "mbox" in page


def test_the_download_asks_for_the_password_first(alice_client):
    response = alice_client.get(DOWNLOAD)
    assert response.status_code == 302 and "/accounts/reauthenticate/" in response["Location"]


def test_the_download_is_a_streamed_zip_of_the_users_own_mail(alice_client, alice, bob):
    from webmail.models import preferences_for

    append(alice.pk, "INBOX", b"Subject: mine\r\n\r\nhello\r\n")
    append(bob.pk, "INBOX", b"Subject: bob's\r\n\r\nnot alice's\r\n")
    preferences = preferences_for(alice)
    preferences.signature = "-- Alice"
    preferences.save()
    enter_password_again(alice_client)
    response = alice_client.get(DOWNLOAD)
    assert response.status_code == 200 and response.streaming and response.is_async  # served as it is made (ASGI)
    assert response["Content-Type"] == "application/zip"
    assert 'attachment; filename="hopthu-alice@example.test-' in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response)))
    inbox = archive.read("mail/INBOX.mbox")
    assert b"Subject: mine" in inbox and b"not alice's" not in inbox
    settings = json.loads(archive.read("settings.json"))
    assert settings["webmail"]["signature"] == "-- Alice"


def test_signed_out_visitors_are_sent_to_sign_in(client):
    assert client.get(DOWNLOAD).status_code == 302
