"""The alias list's Enable/Disable button (issue 16): the same access as editing the alias,
audited as an "alias.update" of active that reads as one sentence, back to the same page
of the list; a disabled alias takes no mail (tests/mailcore/smtp/test_rcpt_disabled_alias.py)."""
import pytest
from django.urls import reverse
from django.utils import translation

from mailcore.audit.models import AuditEntry
from mailcore.directory import services
from mailcore.directory.models import Alias
from panel.activity.audit_sentences import describe
from tests.test_translations import compiled_messages  # noqa: F401 (a fixture)

LIST = reverse("panel:alias_list")


def active_url(alias) -> str:
    return reverse("panel:alias_active", args=[alias.pk])


def test_the_list_shows_disable_for_an_enabled_alias_and_enable_for_a_disabled_one(owner_client, alice):
    enabled = services.create_alias("sales@example.test", ["alice@example.test"])
    disabled = services.create_alias("old@example.test", ["alice@example.test"], active=False)
    html = owner_client.get(LIST).content.decode()
    for alias, value, label in ((enabled, "0", ">Disable<"), (disabled, "1", ">Enable<")):
        form = html.split(f'action="{active_url(alias)}"', 1)[1].split("</form>", 1)[0]
        assert f'name="active" value="{value}"' in form and label in form


def test_disabling_an_alias_audits_it_and_returns_to_the_same_page(owner_client, alice):
    alias = services.create_alias("sales@example.test", ["alice@example.test"])
    back = f"{LIST}?domain=example.test&sort=-created"
    response = owner_client.post(active_url(alias), {"active": "0", "next": back})
    assert response.status_code == 302 and response["Location"] == back
    assert not Alias.objects.get(pk=alias.pk).active
    entry = AuditEntry.objects.get(action="alias.update")
    assert (entry.object_repr, entry.domain) == ("sales@example.test", "example.test")
    assert (entry.before, entry.after) == ({"active": True}, {"active": False})
    assert describe(entry).sentence.endswith("disabled the alias sales@example.test: mail to it is refused.")
    followed = owner_client.get(back)
    assert "The alias sales@example.test is disabled" in followed.content.decode()


def test_enabling_it_again_is_audited_too_and_a_repeat_is_not(owner_client, alice):
    alias = services.create_alias("sales@example.test", ["alice@example.test"], active=False)
    owner_client.post(active_url(alias), {"active": "1"})
    owner_client.post(active_url(alias), {"active": "1"})  # a second press changes nothing
    assert Alias.objects.get(pk=alias.pk).active
    entry = AuditEntry.objects.get(action="alias.update")
    assert describe(entry).sentence.endswith("enabled the alias sales@example.test.")


@pytest.mark.parametrize("back", ["https://evil.example/panel/accounts/aliases/", "/panel/", "//evil.example/"])
def test_it_returns_only_to_the_alias_list(owner_client, alice, back):
    alias = services.create_alias("sales@example.test", ["alice@example.test"])
    assert owner_client.post(active_url(alias), {"active": "0", "next": back})["Location"] == LIST


def test_the_button_is_a_post(owner_client, alice):
    alias = services.create_alias("sales@example.test", ["alice@example.test"])
    assert owner_client.get(active_url(alias)).status_code == 405
    assert Alias.objects.get(pk=alias.pk).active


def test_a_domain_admin_cannot_switch_another_domains_alias(owner_client, charlie):
    alias = services.create_alias("info@example.org", ["charlie@example.org"])
    assert owner_client.post(active_url(alias), {"active": "0"}).status_code == 404
    assert Alias.objects.get(pk=alias.pk).active and not AuditEntry.objects.exists()


def test_a_signed_out_visitor_and_a_mail_user_cannot_switch_an_alias(client, alice):
    alias = services.create_alias("sales@example.test", ["alice@example.test"])
    assert "/accounts/login/" in client.post(active_url(alias), {"active": "0"})["Location"]
    client.force_login(alice.user)
    assert client.post(active_url(alias), {"active": "0"}).status_code == 403
    assert Alias.objects.get(pk=alias.pk).active


def test_a_superadmin_switches_any_alias(super_client, charlie):
    alias = services.create_alias("info@example.org", ["charlie@example.org"])
    super_client.post(active_url(alias), {"active": "0"})
    assert not Alias.objects.get(pk=alias.pk).active


@pytest.mark.usefixtures("compiled_messages")
def test_the_button_the_message_and_the_sentence_in_vietnamese(owner_client, alice):
    alias = services.create_alias("sales@example.test", ["alice@example.test"])
    html = owner_client.get(LIST, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert ">Vô hiệu hóa<" in html and "Vô hiệu hóa bí danh này?" in html
    response = owner_client.post(active_url(alias), {"active": "0"}, HTTP_ACCEPT_LANGUAGE="vi", follow=True)
    assert "Bí danh sales@example.test đã bị vô hiệu hóa" in response.content.decode()
    with translation.override("vi"):
        assert "đã vô hiệu hóa bí danh sales@example.test" in describe(AuditEntry.objects.get()).sentence
