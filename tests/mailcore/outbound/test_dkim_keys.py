"""DKIM keys: one per domain from its creation, rotatable, the private half only in a 0600 file."""
import io
import stat
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from mailcore.directory.services import create_domain
from mailcore.dkim import keys
from mailcore.dkim.models import DkimKey


def test_creating_a_domain_makes_its_key_after_the_commit(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        domain = create_domain("example.net")
        assert not DkimKey.objects.filter(domain=domain).exists()  # not before the commit
    key = DkimKey.objects.get(domain=domain)
    assert key.active and key.selector == f"hopthu{timezone.now():%Y%m}"


def test_no_key_is_made_when_autocreate_is_off(db, settings, django_capture_on_commit_callbacks):
    settings.HOPTHU_DKIM_AUTOCREATE = False
    with django_capture_on_commit_callbacks(execute=True):
        domain = create_domain("example.net")
    assert not DkimKey.objects.filter(domain=domain).exists()


def test_the_private_key_is_a_0600_file_and_never_in_the_database(domain, settings):
    key = keys.create_key(domain)
    path = settings.HOPTHU_DKIM_DIR / key.key_file
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert path.read_bytes().startswith(b"-----BEGIN RSA PRIVATE KEY-----")
    row = DkimKey.objects.filter(pk=key.pk).values().get()
    assert not any("PRIVATE" in str(value) for value in row.values())


def test_create_key_keeps_an_existing_key(domain):
    assert keys.create_key(domain) == keys.create_key("example.test")
    assert DkimKey.objects.count() == 1


def test_the_signing_key_never_shows_its_secret(domain):
    keys.create_key(domain)
    signing_key = keys.private_key("example.test")
    assert signing_key.pem.startswith(b"-----BEGIN RSA PRIVATE KEY-----")
    assert b"PRIVATE" not in repr(signing_key).encode() and "MII" not in repr(signing_key)


def test_the_dns_record_is_the_selector_and_the_public_key(domain):
    key = keys.create_key(domain)
    name, value = keys.dns_record(domain)
    assert name == f"{key.selector}._domainkey.example.test"
    assert value == f"v=DKIM1; k=rsa; p={key.public_key}"
    assert len(value) > 255  # RSA-2048: the TXT record needs several strings


def test_rotation_makes_a_new_selector_and_keeps_the_old_key_published(domain):
    old = keys.create_key(domain)
    new = keys.rotate_key("example.test")
    old.refresh_from_db()
    assert new.selector == f"{old.selector}-2"
    assert (old.active, new.active) == (False, True)
    assert old.retired is not None
    assert keys.dns_record(domain)[0].startswith(new.selector)
    assert [key.selector for key in keys.published_keys(domain)] == [new.selector, old.selector]
    assert keys.private_key(domain).selector == new.selector


def test_retired_keys_are_pruned_after_the_grace_period(domain, settings, django_capture_on_commit_callbacks):
    settings.HOPTHU_DKIM_GRACE_DAYS = 7
    old = keys.create_key(domain)
    keys.rotate_key(domain)
    assert keys.prune_keys() == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert keys.prune_keys(now=timezone.now() + timedelta(days=8)) == 1
    assert not DkimKey.objects.filter(pk=old.pk).exists()
    assert not (settings.HOPTHU_DKIM_DIR / old.key_file).exists()
    assert [key.active for key in keys.published_keys(domain)] == [True]


def test_a_missing_key_file_means_unsigned_not_an_error(domain, settings):
    key = keys.create_key(domain)
    (settings.HOPTHU_DKIM_DIR / key.key_file).unlink()
    assert keys.private_key(domain) is None


def test_a_domain_not_hosted_here_has_no_signing_key(db):
    assert keys.private_key("example.net") is None
    assert keys.private_key("not a domain") is None


def test_the_command_shows_the_records_to_publish(domain):
    old = keys.create_key(domain)
    out = io.StringIO()
    call_command("dkim", "rotate", "example.test", stdout=out)
    new = keys.current_key(domain)
    assert f"{new.selector}._domainkey.example.test. IN TXT" in out.getvalue()
    out = io.StringIO()
    call_command("dkim", "show", "example.test", stdout=out)
    text = out.getvalue()
    assert text.index(f"{new.selector}._domainkey") < text.index(f"{old.selector}._domainkey")  # active first
    assert '"v=DKIM1; k=rsa; p=' in text
    assert "PRIVATE" not in text


def test_the_command_refuses_a_domain_not_hosted_here(db):
    with pytest.raises(CommandError, match="not hosted"):
        call_command("dkim", "show", "example.net", stdout=io.StringIO())
