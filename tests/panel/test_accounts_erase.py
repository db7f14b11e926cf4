"""Panel → account → Erase (GDPR): a typed confirmation, permissions as for deleting the
account, and an erase record in the audit log (docs/export.md)."""
from django.urls import reverse

from mailcore.audit.models import AuditEntry
from mailcore.directory.models import Account, DomainAdmin
from mailcore.store.append import append
from mailcore.store.models import Message
from panel.activity.audit_sentences import describe


def url(account):
    return reverse("panel:account_erase", args=[account.pk])


def test_the_wrong_confirmation_erases_nothing(owner_client, alice):
    append(alice.pk, "INBOX", b"Subject: kept\r\n\r\nbody\r\n")
    response = owner_client.post(url(alice), {"confirm": "bob@example.test"})
    assert response.context["form"].errors["confirm"]
    assert Message.objects.filter(account=alice).exists()


def test_typing_the_address_erases_and_leaves_the_record(owner_client, alice):
    append(alice.pk, "INBOX", b"Subject: gone\r\n\r\nbody\r\n")
    response = owner_client.post(url(alice), {"confirm": "alice@example.test"})
    assert response["Location"] == reverse("panel:account_list")
    assert not Account.objects.filter(pk=alice.pk).exists()
    assert not Message.objects.exists()
    entry = AuditEntry.objects.get()
    assert describe(entry).sentence == "owner erased the account alice@example.test with its mail and logs (GDPR)."


def test_the_account_page_offers_it(owner_client, alice):
    assert url(alice) in owner_client.get(reverse("panel:account_detail", args=[alice.pk])).content.decode()


def test_another_domains_account_is_not_found(owner_client, charlie):
    assert owner_client.post(url(charlie), {"confirm": "charlie@example.org"}).status_code == 404
    assert Account.objects.filter(pk=charlie.pk).exists()


def test_a_more_powerful_users_account_is_refused(owner_client, alice, other_domain):
    DomainAdmin.objects.create(user=alice.user, domain=other_domain)
    assert owner_client.post(url(alice), {"confirm": "alice@example.test"}).status_code == 403
    assert Account.objects.filter(pk=alice.pk).exists()


def test_a_superadmin_may_erase_any_account(super_client, charlie):
    super_client.post(url(charlie), {"confirm": "charlie@example.org"})
    assert not Account.objects.filter(pk=charlie.pk).exists()


def test_a_mail_user_is_refused(client, alice):
    client.force_login(alice.user)
    assert client.post(url(alice), {"confirm": "alice@example.test"}).status_code == 403
