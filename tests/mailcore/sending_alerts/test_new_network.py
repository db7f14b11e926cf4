"""A sign-in from a network the account has not used for 30 days holds its outbound mail."""
from datetime import timedelta

import pytest
from django.utils import timezone

from mailcore.audit.models import AuditEntry
from mailcore.auth.credentials import check_credentials
from mailcore.sending_alerts import watch
from mailcore.sending_alerts.models import SendingState, SignInNetwork

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def fresh_memory():
    watch.forget_usual()
    yield
    watch.forget_usual()


def held(account) -> bool:
    return SendingState.objects.filter(account=account, held=True).exists()


def test_the_first_sign_in_teaches_the_network_and_holds_nothing(alice):
    check_credentials("alice@example.test", PASSWORD, "203.0.113.7", "imap")
    assert list(SignInNetwork.objects.filter(account=alice).values_list("network", flat=True)) == ["203.0.113.0/24"]
    assert not held(alice)


def test_the_same_slash_24_is_no_new_network(alice):
    check_credentials("alice@example.test", PASSWORD, "203.0.113.7", "imap")
    watch.forget_usual()
    check_credentials("alice@example.test", PASSWORD, "203.0.113.200", "smtp")
    assert not held(alice)


def test_a_new_network_holds_the_account_and_is_audited(alice):
    check_credentials("alice@example.test", PASSWORD, "203.0.113.7", "imap")
    check_credentials("alice@example.test", PASSWORD, "2001:db8:77::5", "smtp")
    state = SendingState.objects.get(account=alice)
    assert state.held and state.reason == "new_network" and "2001:db8:77::/48" in state.detail
    entry = AuditEntry.objects.get(action="account.sending_held")
    assert entry.object_repr == "alice@example.test" and entry.actor_name == "system"


def test_a_network_unused_for_30_days_is_new_again(alice):
    check_credentials("alice@example.test", PASSWORD, "203.0.113.7", "imap")
    check_credentials("alice@example.test", PASSWORD, "198.51.100.7", "imap")
    SendingState.objects.filter(account=alice).update(held=False)
    SignInNetwork.objects.filter(network="203.0.113.0/24").update(last_seen=timezone.now() - timedelta(days=31))
    watch.forget_usual()
    check_credentials("alice@example.test", PASSWORD, "203.0.113.8", "imap")
    assert held(alice)


def test_the_domain_can_turn_the_network_rule_off(alice, domain):
    domain.send_alert_new_network = False
    domain.save()
    check_credentials("alice@example.test", PASSWORD, "203.0.113.7", "imap")
    check_credentials("alice@example.test", PASSWORD, "198.51.100.7", "imap")
    assert not held(alice)
    assert SignInNetwork.objects.filter(account=alice).count() == 2


def test_a_wrong_password_from_a_new_network_holds_nothing(alice):
    from mailcore.auth.errors import AuthFailed

    check_credentials("alice@example.test", PASSWORD, "203.0.113.7", "imap")
    with pytest.raises(AuthFailed):
        check_credentials("alice@example.test", "wrong", "198.51.100.7", "imap")
    assert not held(alice)


def test_a_failure_to_note_the_network_never_refuses_the_sign_in(alice, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("network table gone")

    monkeypatch.setattr("mailcore.sending_alerts.watch.SignInNetwork.objects.filter", broken)
    assert check_credentials("alice@example.test", PASSWORD, "203.0.113.7", "imap") == alice
    assert "could not note the sign-in" in caplog.text
