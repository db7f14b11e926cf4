"""Writing mail in Firefox: the "c" shortcut opens compose, and a typed message arrives."""
import email
import email.policy
import time

import pytest

from mailcore.delivery.local import deliver_due_local
from mailcore.store.fetch import fetch_raw
from mailcore.store.models import Message
from webmail.compose import contacts_views
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
    # BiDi types a whole field in a few milliseconds; a person is slower than the address
    # suggestions. See the next test for what happens when they are not.
    tab.wait_for_request("/mail/compose/contacts/")
    tab.type("input[name=subject]", "Xin chào từ Firefox")
    tab.type("textarea[name=body]", "Gửi từ Firefox, gõ từng phím.")
    assert tab.value("input[name=to]") == "bob@example.test"
    tab.click("button[value=send]")
    # The pathname alone is not enough: Firefox may show a blank document in between.
    tab.wait_for("location.pathname.startsWith('/mail/folder/') && document.querySelector('.wm-notices')")
    assert "Your message was sent." in tab.text(".wm-notices"), tab.requests()

    assert deliver_due_local() == 1
    arrived = Message.objects.get(account=bob, folder__name="INBOX")
    received = email.message_from_bytes(fetch_raw(arrived), policy=email.policy.default)
    assert received["Subject"] == "Xin chào từ Firefox"
    assert received["From"].addresses[0].addr_spec == "alice@example.test"
    assert received.get_body(("plain",)).get_content().startswith("Gửi từ Firefox, gõ từng phím.")
    assert tab.errors() == []


def test_leaving_compose_while_suggestions_load_logs_no_error(alice_tab, alice, monkeypatch):
    def slow_suggest(*args, **kwargs):
        time.sleep(1)  # a slow server: the fetch is still open when the page goes
        return suggest(*args, **kwargs)

    suggest = contacts_views.suggest
    monkeypatch.setattr(contacts_views, "suggest", slow_suggest)  # the live server runs in this process
    tab = alice_tab
    tab.goto("/mail/compose/")
    tab.type("input[name=to]", "bo")
    tab.wait_for_request("/mail/compose/contacts/", done=False)
    tab.click("a[data-folder-id]")  # the Inbox, in the sidebar
    tab.wait_for("location.pathname.startsWith('/mail/folder/') && document.readyState === 'complete'")
    assert tab.errors() == []
