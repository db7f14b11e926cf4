"""Relay tokens in the panel: listed, made (the secret shown once, then never), disabled,
enabled and revoked through mailcore.relay.services, as `manage.py relay` does; audited."""
import re
import smtplib
from email.message import EmailMessage

import pytest
from django.urls import reverse

from mailcore.audit.models import AuditEntry
from mailcore.auth.errors import AuthFailed
from mailcore.delivery.models import QueueRecipient
from mailcore.directory.services import create_domain
from mailcore.relay import services
from mailcore.relay.access import check_token
from mailcore.relay.models import RelayToken
from mailcore.smtp.listeners import FACTORIES
from tests.support.hosts import running_host, tls_context

URL = reverse("panel:relay_tokens")


def make(client, **fields):
    data = {"domain": "example.test", "name": "invoices app", "senders": "billing@example.test",
            "rate_per_hour": "200", **fields}
    return client.post(URL, data)


def shown_secret(response) -> str:
    return re.search(r'id="new-relay-secret">([^<]+)<', response.content.decode()).group(1)


def test_the_list_shows_each_token_with_its_domain_in_unicode(super_client, db):
    create_domain("công-ty.vn")
    services.create_token("công-ty.vn", "web shop", senders=["shop@công-ty.vn"], rate_per_hour=0)
    page = super_client.get(URL).content.decode()
    token = RelayToken.objects.get()
    for text in ("công-ty.vn", "web shop", token.username, "shop@công-ty.vn", "unlimited", "never"):
        assert text in page, text


def test_making_a_token_shows_its_secret_once_and_it_authenticates(super_client, domain):
    response = make(super_client)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    token = RelayToken.objects.get()
    assert (token.name, token.senders, token.rate_per_hour) == ("invoices app", ["billing@example.test"], 200)
    secret = shown_secret(response)
    assert check_token(token.username, secret, "127.0.0.1") == token  # what the relay port asks
    assert secret not in super_client.get(URL).content.decode()


def test_an_empty_sender_box_allows_the_whole_domain_and_an_empty_rate_the_default(super_client, domain, settings):
    make(super_client, senders="", rate_per_hour="")
    token = RelayToken.objects.get()
    assert token.senders == ["@example.test"]
    assert token.rate_per_hour == settings.HOPTHU_RELAY_RATE_PER_HOUR


def test_making_a_token_is_audited_without_its_secret(super_client, domain):
    secret = shown_secret(make(super_client))
    entry = AuditEntry.objects.get(action="relay_token.create")
    token = RelayToken.objects.get()
    assert (entry.actor_name, entry.object_repr, entry.domain) == ("root", "invoices app", "example.test")
    assert entry.after == {"domain": "example.test", "username": token.username,
                           "senders": ["billing@example.test"], "rate_per_hour": 200}
    assert secret not in str(entry.after) and token.secret_hash not in str(entry.after)


@pytest.mark.parametrize("fields, field, words", [
    ({"senders": "ceo@example.org"}, "senders", "is not at example.test"),
    ({"senders": "not an address"}, "senders", ""),
    ({"rate_per_hour": "-1"}, "rate_per_hour", ""),
    ({"name": "  "}, "name", ""),
    ({"domain": "example.org"}, "domain", ""),  # not hosted: not a choice
])
def test_bad_input_is_an_error_on_its_field_and_nothing_is_made(super_client, domain, fields, field, words):
    response = make(super_client, **fields)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors, errors
    assert words in " ".join(errors[field])
    assert not RelayToken.objects.exists()


def test_a_second_token_of_the_same_name_is_refused_on_the_name(super_client, domain):
    make(super_client)
    response = make(super_client)
    assert response.status_code == 400
    assert "already has one named invoices app" in " ".join(response.context["form"].errors["name"])


def test_disabling_and_enabling_a_token_is_audited(super_client, domain):
    token, _secret = services.create_token("example.test", "crm")
    url = reverse("panel:relay_token_active", args=[token.pk])
    assert super_client.post(url, {"active": "0"}).status_code == 302
    assert RelayToken.objects.get().active is False
    super_client.post(url, {"active": "1"})
    assert RelayToken.objects.get().active is True
    entries = AuditEntry.objects.filter(action="relay_token.update").order_by("pk")
    assert [entry.after["active"] for entry in entries] == [False, True]


def test_revoking_a_token_deletes_it_and_is_audited(super_client, domain):
    token, secret = services.create_token("example.test", "crm")
    response = super_client.post(reverse("panel:relay_token_revoke", args=[token.pk]))
    assert response.status_code == 302
    assert not RelayToken.objects.exists()
    entry = AuditEntry.objects.get(action="relay_token.delete")
    assert entry.before["username"] == token.username
    with pytest.raises(AuthFailed):
        check_token(token.username, secret, "127.0.0.1")


def test_the_relay_pages_are_for_superadmins_only(owner_client, domain):
    token, _secret = services.create_token("example.test", "crm")
    for method, url in (("get", URL), ("post", URL), ("get", reverse("panel:relay_networks")),
                        ("post", reverse("panel:relay_token_active", args=[token.pk])),
                        ("post", reverse("panel:relay_token_revoke", args=[token.pk]))):
        assert getattr(owner_client, method)(url, {"active": "0"}).status_code == 403, url
    assert RelayToken.objects.get().active


def test_the_navigation_offers_relay_to_superadmins_only(super_client, owner_client):
    assert reverse("panel:relay").encode() in super_client.get("/panel/domains/").content
    assert reverse("panel:relay").encode() not in owner_client.get("/panel/domains/").content


@pytest.mark.django_db(transaction=True)
def test_a_token_made_in_the_panel_sends_through_the_relay_port(settings, tmp_path, superadmin, domain):
    from django.test import Client

    client = Client()
    client.force_login(superadmin)
    secret = shown_secret(make(client))
    username = RelayToken.objects.get().username
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "billing@example.test", "c@example.net", "Hi"
    message.set_content("Invoice.\n")
    with (running_host(settings, tmp_path, FACTORIES, ("relay",)) as host,
          smtplib.SMTP("127.0.0.1", host.ports["relay"], timeout=10) as smtp):
        smtp.starttls(context=tls_context())
        smtp.login(username, secret)
        assert smtp.send_message(message) == {}
    assert QueueRecipient.objects.get().message.source == "relay"
