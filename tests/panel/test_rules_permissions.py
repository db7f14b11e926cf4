"""Who may reach an account's rules: its domain's admin and superadmins, nobody else."""
import pytest
from django.test import Client
from django.urls import reverse

from mailcore.delivery.models import MailRule
from tests.conftest import PASSWORD

ACTIONS = [{"action": "flag"}]


@pytest.fixture
def alice_rule(alice):
    return MailRule.objects.create(account=alice, name="mine", actions=ACTIONS)


@pytest.fixture
def charlie_rule(charlie):
    return MailRule.objects.create(account=charlie, name="theirs", actions=ACTIONS)


def pages(rule):
    account = rule.account_id
    return [
        ("get", reverse("panel:rule_list", args=[account])),
        ("get", reverse("panel:rule_add", args=[account])),
        ("get", reverse("panel:rule_test", args=[account])),
        ("get", reverse("panel:rule_export", args=[account])),
        ("get", reverse("panel:rule_edit", args=[account, rule.pk])),
        ("post", reverse("panel:rule_move", args=[account, rule.pk])),
        ("post", reverse("panel:rule_toggle", args=[account, rule.pk])),
        ("post", reverse("panel:rule_delete", args=[account, rule.pk])),
    ]


def test_signed_out_visitors_are_sent_to_sign_in(alice_rule):
    for method, url in pages(alice_rule):
        response = getattr(Client(), method)(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url, url


def test_a_mail_user_is_refused(alice_rule):
    client = Client()
    assert client.login(username="alice@example.test", password=PASSWORD)
    for method, url in pages(alice_rule):
        assert getattr(client, method)(url).status_code == 403, url


def test_a_domain_admin_gets_404_for_another_domains_account(owner_client, charlie_rule):
    for method, url in pages(charlie_rule):
        assert getattr(owner_client, method)(url).status_code == 404, url
    assert MailRule.objects.filter(pk=charlie_rule.pk, active=True).exists()


def test_a_rule_is_found_only_through_its_own_account(owner_client, alice, bob, charlie_rule):
    # alice is the owner's, but the rule id belongs to charlie: no mixing ids across accounts.
    url = reverse("panel:rule_edit", args=[alice.pk, charlie_rule.pk])
    assert owner_client.get(url).status_code == 404
    url = reverse("panel:rule_delete", args=[bob.pk, charlie_rule.pk])
    assert owner_client.post(url).status_code == 404


def test_the_domain_admin_and_a_superadmin_see_the_list(owner_client, super_client, alice_rule, charlie_rule):
    assert owner_client.get(reverse("panel:rule_list", args=[alice_rule.account_id])).status_code == 200
    assert super_client.get(reverse("panel:rule_list", args=[charlie_rule.account_id])).status_code == 200


def test_changes_are_post_only(owner_client, alice_rule):
    for name in ("panel:rule_move", "panel:rule_toggle", "panel:rule_delete"):
        assert owner_client.get(reverse(name, args=[alice_rule.account_id, alice_rule.pk])).status_code == 405


def test_the_domain_admin_exports_the_accounts_rules_as_sieve(owner_client, alice_rule):
    response = owner_client.get(reverse("panel:rule_export", args=[alice_rule.account_id]))
    assert response["Content-Type"].startswith("application/sieve")
    assert '# rule: mine\nif true {\n    addflag "\\\\Flagged";\n}' in response.content.decode()
