"""Issue 16 item 7: the activity pages file outgoing mail under the domain that sent it,
never under the envelope sender a stranger chose. A domain admin of example.test must
not see (or delete) the forwarded copies of example.org's users, even when the original
sender claims an example.test address."""
import pytest
from django.urls import reverse

from mailcore.delivery.local import deliver_due_local
from mailcore.delivery.models import QueueRecipient
from mailcore.directory import services
from tests.panel.activity_rows import queued

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def charlie_forwards_outside(charlie):
    services.set_forward("charlie@example.org", ["charlie.private@elsewhere.example"], keep_copy=True)
    return charlie


def forwarded_copy(sender: str) -> QueueRecipient:
    queued("charlie@example.org", sender=sender)  # arrives over the MX with a sender of the attacker's choice
    deliver_due_local()
    return QueueRecipient.objects.get(address="charlie.private@elsewhere.example")


def test_a_forward_by_another_domains_user_is_not_shown_for_a_sender_at_mine(owner_client, charlie_forwards_outside):
    row = forwarded_copy("ceo@example.test")
    for page in ("panel:queue", "panel:delivery_log"):
        assert "charlie.private@elsewhere.example" not in owner_client.get(reverse(page)).content.decode()
    response = owner_client.post(reverse("panel:queue_delete"), {"id": row.pk})
    assert response.status_code == 404
    assert QueueRecipient.objects.filter(pk=row.pk).exists()


def test_the_forwarding_domains_admin_and_the_superadmin_see_it(super_client, charlie_forwards_outside, other_domain):
    from django.contrib.auth import get_user_model
    from django.test import Client

    from mailcore.directory.models import DomainAdmin
    from tests.conftest import PASSWORD

    forwarded_copy("ceo@example.test")
    org_admin = get_user_model().objects.create_user("orgadmin", email="", password=PASSWORD)
    DomainAdmin.objects.create(user=org_admin, domain=other_domain)
    client = Client()
    client.force_login(org_admin)
    assert "charlie.private@elsewhere.example" in client.get(reverse("panel:queue")).content.decode()
    assert "charlie.private@elsewhere.example" in super_client.get(reverse("panel:queue")).content.decode()


def test_mail_a_user_of_mine_submitted_is_shown_to_me(owner_client, alice):
    queued("friend@elsewhere.example", sender="alice@example.test", source="submission", account=alice)
    assert "friend@elsewhere.example" in owner_client.get(reverse("panel:queue")).content.decode()


def test_submitted_mail_claiming_my_domain_from_another_domains_account_is_not_mine(owner_client, charlie):
    queued("friend@elsewhere.example", sender="ceo@example.test", source="submission", account=charlie)
    assert "friend@elsewhere.example" not in owner_client.get(reverse("panel:queue")).content.decode()
