"""Panel → account → Export: an admin downloads the zip of an account they may manage
(docs/export.md); the export is audited; others get 404/403."""
import io
import zipfile

import pytest
from django.urls import reverse

from mailcore.audit.models import AuditEntry
from mailcore.directory.models import DomainAdmin
from mailcore.store.append import append
from panel.activity.audit_sentences import describe

# The test client is WSGI: it reads the ASGI stream whole, and says so.
pytestmark = pytest.mark.filterwarnings("ignore:StreamingHttpResponse must consume asynchronous iterators")


def url(account):
    return reverse("panel:account_export_data", args=[account.pk])


def test_a_domain_admin_downloads_the_export_of_an_account_and_it_is_audited(owner_client, alice):
    append(alice.pk, "INBOX", b"Subject: kept\r\n\r\nbody\r\n")
    assert "Download the export" in owner_client.get(url(alice)).content.decode()
    response = owner_client.post(url(alice))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response)))
    assert b"Subject: kept" in archive.read("mail/INBOX.mbox")
    entry = AuditEntry.objects.get(action="account.export")
    assert describe(entry).sentence == "owner downloaded an export of the mail and settings of alice@example.test."


def test_another_domains_account_is_not_found(owner_client, charlie):
    assert owner_client.post(url(charlie)).status_code == 404
    assert not AuditEntry.objects.exists()


def test_a_more_powerful_users_account_is_refused(owner_client, alice, other_domain):
    DomainAdmin.objects.create(user=alice.user, domain=other_domain)
    assert owner_client.post(url(alice)).status_code == 403


def test_a_mail_user_is_refused(client, alice):
    client.force_login(alice.user)
    assert client.post(url(alice)).status_code == 403
