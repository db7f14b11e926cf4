"""Who may reach the filter area: strangers sign in, mail users get 403, a domain admin gets
404 for another domain's policy and for mail held only for another domain."""
import pytest

from mailcore.filters.models import FilterPolicy, QuarantinedMessage
from mailcore.filters.quarantine import hold
from tests.panel.roles import assert_not_found, assert_refuses_mail_user, assert_sends_to_sign_in


@pytest.fixture
def held_for_charlie(charlie):
    return hold(b"Subject: x\r\n\r\nx\r\n", mail_from="s@example.net", recipients=[charlie.address], kind="spam",
                reason="score 30")


def _views(pk):
    return [("get", "/panel/filters/"), ("get", "/panel/filters/domain/example.test/"),
            ("post", "/panel/filters/domain/example.test/"), ("get", "/panel/filters/quarantine/"),
            ("get", f"/panel/filters/quarantine/{pk}/"), ("post", f"/panel/filters/quarantine/{pk}/release/"),
            ("post", f"/panel/filters/quarantine/{pk}/delete/")]


def test_signed_out_visitors_are_sent_to_sign_in(held_for_charlie):
    for method, url in _views(held_for_charlie.pk):
        assert_sends_to_sign_in(method, url)


def test_mail_users_are_refused(alice, held_for_charlie):
    for method, url in _views(held_for_charlie.pk):
        assert_refuses_mail_user(alice, method, url)


def test_a_domain_admin_cannot_reach_another_domains_policy(owner_client):
    assert_not_found(owner_client, "get", "/panel/filters/domain/example.org/")
    assert_not_found(owner_client, "post", "/panel/filters/domain/example.org/", {"quarantine_days": 1})
    assert not FilterPolicy.objects.exists()


def test_a_domain_admin_cannot_see_or_act_on_another_domains_held_mail(owner_client, held_for_charlie):
    pk = held_for_charlie.pk
    assert_not_found(owner_client, "get", f"/panel/filters/quarantine/{pk}/")
    assert_not_found(owner_client, "post", f"/panel/filters/quarantine/{pk}/release/")
    assert_not_found(owner_client, "post", f"/panel/filters/quarantine/{pk}/delete/")
    assert QuarantinedMessage.objects.get().status == "held"
    assert "score 30" not in owner_client.get("/panel/filters/quarantine/").content.decode()


def test_the_release_and_delete_views_refuse_get(super_client, held_for_charlie):
    assert super_client.get(f"/panel/filters/quarantine/{held_for_charlie.pk}/release/").status_code == 405
    assert super_client.get(f"/panel/filters/quarantine/{held_for_charlie.pk}/delete/").status_code == 405
