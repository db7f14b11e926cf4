"""Who reaches the activity pages: admins only, the listeners page superadmins only, and
the queue actions refuse another domain's rows."""
import pytest
from django.urls import reverse

from tests.panel.activity_rows import queued
from tests.panel.roles import assert_forbidden, assert_not_found, assert_refuses_mail_user, assert_sends_to_sign_in

ADMIN_PAGES = ["panel:delivery_log", "panel:queue", "panel:stats", "panel:storage", "panel:audit_log"]
ACTIONS = ["panel:queue_retry", "panel:queue_delete"]


@pytest.mark.parametrize("name", [*ADMIN_PAGES, "panel:listeners"])
def test_a_signed_out_visitor_is_sent_to_sign_in(db, name):
    assert_sends_to_sign_in("get", reverse(name))


@pytest.mark.parametrize("name", ACTIONS)
def test_a_signed_out_visitor_cannot_act_on_the_queue(db, name):
    assert_sends_to_sign_in("post", reverse(name), {"id": "1"})


@pytest.mark.parametrize("name", [*ADMIN_PAGES, "panel:listeners"])
def test_a_mail_user_is_refused(alice, name):
    assert_refuses_mail_user(alice, "get", reverse(name))


@pytest.mark.parametrize("name", ACTIONS)
def test_a_mail_user_cannot_act_on_the_queue(alice, name):
    row = queued("alice@example.test")
    assert_refuses_mail_user(alice, "post", reverse(name), {"id": row.pk})


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_a_domain_admin_may_open_the_pages(owner_client, name):
    assert owner_client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", [*ADMIN_PAGES, "panel:listeners"])
def test_a_superadmin_may_open_the_pages(super_client, name):
    assert super_client.get(reverse(name)).status_code == 200


def test_the_listeners_page_is_for_superadmins_only(owner_client):
    assert_forbidden(owner_client, "get", reverse("panel:listeners"))


@pytest.mark.parametrize("name", ACTIONS)
def test_a_domain_admin_gets_404_for_another_domains_queue_entry(owner_client, charlie, name):
    row = queued("charlie@example.org")
    assert_not_found(owner_client, "post", reverse(name), {"id": row.pk})
    row.refresh_from_db()
    assert row.status == "queued"


@pytest.mark.parametrize("name", ACTIONS)
def test_the_queue_actions_only_allow_post(super_client, name):
    assert super_client.get(reverse(name)).status_code == 405
