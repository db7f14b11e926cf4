"""Deleting a domain: typed confirmation, then keep the mail (disable) or remove it all."""
from mailcore.audit.models import AuditEntry
from mailcore.directory.models import Account, Domain, DomainAdmin
from mailcore.store.append import append
from mailcore.store.gc import collect_garbage
from mailcore.store.models import Blob, Message

RAW = b"From: a@example.net\r\nTo: alice@example.test\r\nSubject: kept\r\n\r\nhello\r\n"


def test_the_page_says_what_the_domain_holds(super_client, alice):
    append(alice.pk, "INBOX", RAW)
    html = super_client.get("/panel/domains/example.test/delete/").content.decode()
    assert "1 account." in html and "They hold 1 message (" in html


def test_a_wrong_name_is_refused_on_the_confirm_field(super_client, domain):
    response = super_client.post("/panel/domains/example.test/delete/", {"mail": "remove", "confirm": "example"})
    assert response.status_code == 400
    assert "Type example.test exactly" in response.context["form"].errors["confirm"][0]
    assert Domain.objects.filter(name="example.test").exists()


def test_keeping_the_mail_disables_the_domain_and_its_accounts_and_revokes_its_admins(super_client, alice,
                                                                                   domain_admin):
    append(alice.pk, "INBOX", RAW)
    response = super_client.post("/panel/domains/example.test/delete/", {"mail": "keep", "confirm": "example.test"})
    assert response["Location"] == "/panel/domains/"
    domain = Domain.objects.get(name="example.test")
    assert domain.active is False
    assert Account.objects.get(pk=alice.pk).active is False
    assert Message.objects.filter(folder__account=alice).count() == 1
    assert not DomainAdmin.objects.filter(domain=domain).exists()
    entry = AuditEntry.objects.get()
    assert entry.action == "domain.retire" and entry.after["accounts_disabled"] == ["alice@example.test"]


def test_removing_the_mail_deletes_domain_accounts_and_messages_and_the_blobs_go_to_gc(super_client, alice):
    append(alice.pk, "INBOX", RAW)
    response = super_client.post("/panel/domains/example.test/delete/", {"mail": "remove", "confirm": "EXAMPLE.TEST"})
    assert response.status_code == 302
    assert not Domain.objects.filter(name="example.test").exists()
    assert not Account.objects.exists() and not Message.objects.exists()
    collect_garbage(grace_seconds=0)
    assert not Blob.objects.exists()
    entry = AuditEntry.objects.get()
    assert entry.action == "domain.delete" and entry.before["accounts"] == ["alice@example.test"]


def test_removal_refused_by_the_directory_is_reported_and_changes_nothing(super_client, alice, charlie):
    from mailcore.directory.services import create_alias

    create_alias("team@example.org", ["alice@example.test"])  # only target lives in the domain
    response = super_client.post("/panel/domains/example.test/delete/", {"mail": "remove", "confirm": "example.test"})
    assert response.status_code == 400
    assert "team@example.org" in response.context["form"].errors["mail"][0]
    assert Account.objects.filter(pk=alice.pk).exists()
