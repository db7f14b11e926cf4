"""DKIM rotation in two steps: a new key waits, published but not signing, until its
record is visible in DNS (a stub server on loopback); then it signs and the old one is
retired but stays published for the grace period."""
from datetime import timedelta

from django.utils import timezone

from mailcore.audit.models import AuditEntry
from mailcore.dkim import check, keys
from mailcore.dkim.models import DkimKey


def _publish(dns_server, key):
    dns_server.add_txt(key.dns_name, key.dns_value)


def test_making_a_new_key_keeps_the_old_one_signing(owner_client, domain):
    old = keys.create_key(domain)
    response = owner_client.post("/panel/domains/example.test/dkim/new/")
    assert response.status_code == 302
    new = keys.pending_key(domain)
    assert new.selector != old.selector and new.active is False
    assert keys.private_key(domain).selector == old.selector
    assert [k.selector for k in keys.published_keys(domain)] == [old.selector, new.selector]
    assert AuditEntry.objects.get().action == "dkim.prepare"


def test_a_domain_without_a_key_gets_one_that_signs_at_once(owner_client, domain):
    owner_client.post("/panel/domains/example.test/dkim/new/")
    assert keys.current_key(domain) is not None and keys.pending_key(domain) is None


def test_the_page_shows_each_selector_with_its_state_and_whether_dns_has_it(owner_client, domain, dns_server):
    old = keys.create_key(domain)
    _publish(dns_server, old)
    new = keys.prepare_key(domain)
    response = owner_client.get("/panel/domains/example.test/dkim/")
    states = {row["key"].selector: (row["state"], row["dns"]) for row in response.context["rows"]}
    assert states == {old.selector: ("active", "published"), new.selector: ("pending", "missing")}
    assert new.dns_value in response.content.decode()


def test_the_new_key_is_not_used_while_dns_does_not_show_it(owner_client, domain, dns_server):
    old = keys.create_key(domain)
    keys.prepare_key(domain)
    response = owner_client.post("/panel/domains/example.test/dkim/use/")
    assert response.status_code == 400
    assert "not visible in DNS" in response.context["form"].errors["force"][0]
    assert keys.current_key(domain).selector == old.selector


def test_once_published_the_new_key_signs_and_the_old_stays_published_for_the_grace_period(
        owner_client, domain, dns_server, settings):
    settings.HOPTHU_DKIM_GRACE_DAYS = 7
    old = keys.create_key(domain)
    new = keys.prepare_key(domain)
    _publish(dns_server, new)
    assert owner_client.post("/panel/domains/example.test/dkim/use/").status_code == 302
    assert keys.private_key(domain).selector == new.selector
    retired = DkimKey.objects.get(pk=old.pk)
    assert retired.retired is not None
    assert [k.selector for k in keys.published_keys(domain)] == [new.selector, old.selector]
    assert keys.grace_ends(retired) == retired.retired + timedelta(days=7)
    html = owner_client.get("/panel/domains/example.test/dkim/").content.decode()
    assert "Keep this record in DNS until" in html
    assert keys.prune_keys(now=timezone.now() + timedelta(days=8)) == 1
    entry = AuditEntry.objects.get(action="dkim.activate")
    assert entry.before == {"selector": old.selector} and entry.after == {"selector": new.selector}


def test_the_admin_may_confirm_publication_the_check_cannot_see(owner_client, domain, dns_server):
    keys.create_key(domain)
    new = keys.prepare_key(domain)
    owner_client.post("/panel/domains/example.test/dkim/use/", {"force": "on"})
    assert keys.current_key(domain).selector == new.selector


def test_a_different_record_at_the_name_is_told_apart_from_a_missing_one(domain, dns_server):
    key = keys.create_key(domain)
    assert check.record_state(key) == check.MISSING
    dns_server.add_txt(key.dns_name, "v=DKIM1; k=rsa; p=AAAA")
    assert check.record_state(key) == check.DIFFERENT


def test_an_unanswering_dns_is_unknown_not_missing(domain, dns_server):
    key = keys.create_key(domain)
    dns_server.fail(key.dns_name)
    assert check.record_state(key) == check.UNKNOWN


def test_the_check_is_not_fooled_by_a_cached_missing_answer(domain, dns_server):
    from mailcore.dns import txt_strings

    key = keys.create_key(domain)
    assert txt_strings(key.dns_name) == []  # the shared resolver now caches "no record"
    _publish(dns_server, key)
    assert check.record_state(key) == check.PUBLISHED


def test_throwing_the_new_key_away_deletes_it_and_its_file(owner_client, domain, django_capture_on_commit_callbacks):
    keys.create_key(domain)
    new = keys.prepare_key(domain)
    path = keys.key_dir() / new.key_file
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post("/panel/domains/example.test/dkim/discard/")
    assert keys.pending_key(domain) is None and not path.exists()


def test_preparing_twice_gives_the_same_pending_key(domain):
    keys.create_key(domain)
    assert keys.prepare_key(domain).pk == keys.prepare_key(domain).pk


def test_the_daily_task_forgets_retired_keys_past_the_grace_period(domain, settings):
    from mailcore.dkim.tasks import prune_retired_keys

    settings.HOPTHU_DKIM_GRACE_DAYS = 0
    keys.create_key(domain)
    keys.rotate_key(domain)
    assert prune_retired_keys() == 1
    assert [k.active for k in DkimKey.objects.all()] == [True]
