"""Panel → account → Deleted mail: an admin recovers mail for an account they may manage
(docs/recovery.md). Permissions as for deleting the account; one audit entry per recovery."""
import pytest
from django.urls import reverse

from mailcore.audit.models import AuditEntry
from mailcore.directory.models import DomainAdmin
from mailcore.store.append import append
from mailcore.store.messages import expunge, store_flags
from mailcore.store.models import Message, RecoverableMessage
from panel.activity.audit_sentences import describe
from tests.panel.roles import assert_not_found, assert_refuses_mail_user, assert_sends_to_sign_in


def url(account):
    return reverse("panel:account_deleted_mail", args=[account.pk])


def deleted(account, subject):
    uid = append(account.pk, "INBOX", f"From: x@example.net\r\nSubject: {subject}\r\n\r\nbody\r\n".encode()).uid
    store_flags(account.pk, "INBOX", [uid], ["\\Deleted"])
    expunge(account.pk, "INBOX", [uid])
    return RecoverableMessage.objects.get(account=account, subject=subject)


def test_a_domain_admin_lists_and_recovers_mail_of_their_domain(owner_client, alice):
    row = deleted(alice, "Contract draft")
    page = owner_client.get(url(alice), {"q": "contract"}).content.decode()
    assert "Contract draft" in page
    response = owner_client.post(url(alice), {"message": [row.pk]}, follow=True)
    assert "1 message was recovered." in response.content.decode()
    assert Message.objects.get(account=alice).subject == "Contract draft"
    entry = AuditEntry.objects.get(action="account.recover")
    assert (entry.object_repr, entry.after, entry.domain) == ("alice@example.test", {"messages_recovered": 1},
                                                              "example.test")
    description = describe(entry)
    assert description.sentence == "owner recovered deleted mail of alice@example.test."
    assert description.details == ["Messages recovered: 1"]


def test_the_account_page_links_to_it(owner_client, alice):
    page = owner_client.get(reverse("panel:account_detail", args=[alice.pk])).content.decode()
    assert url(alice) in page


def test_a_superadmin_may_recover_for_any_account(super_client, charlie):
    row = deleted(charlie, "far away")
    super_client.post(url(charlie), {"message": [row.pk]})
    assert Message.objects.filter(account=charlie).count() == 1


def test_another_domains_account_is_not_found(owner_client, charlie):
    row = deleted(charlie, "not yours")
    assert_not_found(owner_client, "GET", url(charlie))
    assert_not_found(owner_client, "POST", url(charlie), {"message": [row.pk]})
    assert RecoverableMessage.objects.filter(pk=row.pk).exists()


def test_a_message_of_another_account_posted_to_this_page_stays_put(owner_client, alice, bob):
    row = deleted(bob, "bob's")
    owner_client.post(url(alice), {"message": [row.pk]})
    assert RecoverableMessage.objects.filter(pk=row.pk).exists()
    assert not AuditEntry.objects.filter(action="account.recover").exists()


def test_an_account_of_a_more_powerful_user_is_refused(owner_client, alice, other_domain):
    DomainAdmin.objects.create(user=alice.user, domain=other_domain)
    row = deleted(alice, "admin's mail")
    assert owner_client.get(url(alice)).status_code == 403
    assert owner_client.post(url(alice), {"message": [row.pk]}).status_code == 403
    assert RecoverableMessage.objects.filter(pk=row.pk).exists()


@pytest.mark.django_db
def test_strangers_and_mail_users_are_kept_out(alice):
    assert_sends_to_sign_in("GET", url(alice))
    assert_refuses_mail_user(alice, "GET", url(alice))
