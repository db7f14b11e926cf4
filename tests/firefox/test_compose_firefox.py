"""Writing mail in Firefox: the "c" shortcut opens compose, and a typed message arrives."""
import email
import email.policy

import pytest

from mailcore.delivery.local import deliver_due_local
from mailcore.store.fetch import fetch_raw
from mailcore.store.models import Message
from webmail.models import preferences_for

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_c_opens_compose_and_a_typed_message_reaches_bob(alice_tab, alice, bob):
    preferences = preferences_for(alice)
    preferences.undo_send_seconds = 0  # send at once: the undo window is tested in Chromium
    preferences.save()
    tab = alice_tab
    tab.press("c")
    tab.wait_for_url("/mail/compose/")
    tab.type("input[name=to]", "bob@example.test")
    tab.type("input[name=subject]", "Xin chào từ Firefox")
    tab.type("textarea[name=body]", "Gửi từ Firefox, gõ từng phím.")
    assert tab.value("input[name=to]") == "bob@example.test"
    tab.click("button[value=send]")
    tab.wait_for("!location.pathname.startsWith('/mail/compose/') && document.readyState === 'complete'")
    assert "Your message was sent." in tab.evaluate("document.body.innerText"), tab.requests()

    assert deliver_due_local() == 1
    arrived = Message.objects.get(account=bob, folder__name="INBOX")
    received = email.message_from_bytes(fetch_raw(arrived), policy=email.policy.default)
    assert received["Subject"] == "Xin chào từ Firefox"
    assert received["From"].addresses[0].addr_spec == "alice@example.test"
    assert received.get_body(("plain",)).get_content().startswith("Gửi từ Firefox, gõ từng phím.")
    assert tab.errors() == []
