"""A domain with a Unicode name (IDN) is shown in Unicode wherever a person reads it, in
the panel and in the webmail; its A-label ("xn--…", punycode) appears only where DNS
needs it, beside the Unicode name: the DNS page. Each page is read as a person sees it:
its text, the labels of its menus and the values filled into its text fields."""
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from mailcore.audit.log import record
from mailcore.directory import services
from mailcore.directory.admins import create_domain_admin, grant_domain
from mailcore.filters.quarantine import hold
from mailcore.store.append import append
from tests.conftest import PASSWORD
from tests.panel.activity_rows import queued

IDN = "công-ty.vn"
ALABEL = "xn--cng-ty-ixa.vn"


class VisibleText(HTMLParser):
    """The text a person reads on a page: text nodes (not scripts or styles), the values
    of text fields, and the alt, title, placeholder and aria-label texts."""

    SHOWN = ("alt", "title", "placeholder", "aria-label")

    def __init__(self):
        super().__init__()
        self.parts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style"):
            self.hidden += 1
        if tag == "input" and attrs.get("type", "text") in ("text", "email", "search") and attrs.get("value"):
            self.parts.append(attrs["value"])
        self.parts.extend(attrs[name] for name in self.SHOWN if attrs.get(name))

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(parser.parts)


@pytest.fixture
def idn_world(superadmin, alice):
    domain = services.create_domain(IDN)
    account = services.create_account(f"an@{IDN}", PASSWORD, display_name="An")
    services.create_account(f"binh@{IDN}", PASSWORD)
    alias = services.create_alias(f"info@{IDN}", [f"an@{IDN}", f"binh@{IDN}"])
    services.set_forward(f"binh@{IDN}", [f"an@{IDN}"])
    services.set_catch_all(IDN, [f"an@{IDN}"])
    admin = create_domain_admin("chu", PASSWORD)
    grant_domain(admin, IDN)
    queued(f"an@{ALABEL}", sender=f"khach@{ALABEL}")
    queued(f"xa@{ALABEL}", sender=f"an@{ALABEL}", source="submission", account=account)
    hold(b"From: m@example.net\r\nSubject: Hoa don\r\n\r\nx\r\n", mail_from="m@example.net",
         recipients=[f"an@{ALABEL}"], kind="virus", reason="virus Eicar", client_ip="192.0.2.9")
    record(superadmin, "alias.create", "alias", str(alias), domain=ALABEL, ip="192.0.2.1",
           after={"targets": [f"an@{ALABEL}"]})
    append(account.pk, "INBOX", f"From: Khách <khach@{ALABEL}>\r\nTo: an@{ALABEL}\r\nSubject: Chào\r\n\r\nHi\r\n"
           .encode())
    return {"domain": domain, "account": account, "alias": alias, "admin": admin}


def panel_pages(world):
    account, alias, admin = world["account"], world["alias"], world["admin"]
    return [
        reverse("panel:home"), reverse("panel:domain_list"), reverse("panel:domain_detail", args=[IDN]),
        reverse("panel:domain_dkim", args=[IDN]), reverse("panel:domain_delete", args=[IDN]),
        reverse("panel:account_list"), reverse("panel:account_list") + f"?domain={ALABEL}",
        reverse("panel:account_create") + f"?domain={ALABEL}", reverse("panel:account_detail", args=[account.pk]),
        reverse("panel:account_delete", args=[account.pk]),
        reverse("panel:alias_list"), reverse("panel:alias_create") + f"?domain={ALABEL}",
        reverse("panel:alias_detail", args=[alias.pk]),
        reverse("panel:delivery_log"), reverse("panel:queue"), reverse("panel:stats"), reverse("panel:storage"),
        reverse("panel:filter_policy_list"), reverse("panel:filter_policy", args=[IDN]),
        reverse("panel:quarantine_list"), reverse("panel:rule_list", args=[account.pk]),
        reverse("panel:admin_list"), reverse("panel:admin_detail", args=[admin.pk]),
        reverse("panel:client_setup", args=[account.pk]),
    ]


def a_labels_shown(client, urls) -> list[str]:
    """Where each page shows an A-label: the url and the words around it."""
    found = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = " ".join(visible(response.content.decode()).split())
        found += [f"{url}: …{text[max(0, at - 60):at + 30]}…" for at in
                  (index for index in range(len(text)) if text.startswith("xn--", index))]
    return found


def test_every_panel_page_names_the_domain_in_unicode(super_client, idn_world):
    assert a_labels_shown(super_client, panel_pages(idn_world)) == []
    assert IDN in visible(super_client.get(reverse("panel:domain_list")).content.decode())


def test_the_domain_admins_pages_name_it_in_unicode_too(idn_world):
    client = Client()
    client.force_login(idn_world["admin"])
    urls = [reverse("panel:account_list"), reverse("panel:alias_list"), reverse("panel:storage"),
            reverse("panel:stats"), reverse("panel:delivery_log"), reverse("panel:quarantine_list")]
    assert a_labels_shown(client, urls) == []
    assert all(IDN in visible(client.get(url).content.decode()) for url in urls[:3])


def test_the_audit_log_names_the_domain_in_unicode(super_client, idn_world):
    # The changes column (values as stored, A-labels) is for the audit log's own sentences
    # (issue 17 point 10); here the domain column and the domain filter.
    html = super_client.get(reverse("panel:audit_log")).content.decode()
    assert f"<td>{IDN}</td>" in html and f'<option value="{ALABEL}">{IDN}</option>' in html


def test_the_dns_page_shows_the_a_label_beside_the_unicode_name(super_client, idn_world):
    text = visible(super_client.get(reverse("panel:dns_records", args=[IDN])).content.decode())
    assert IDN in text and ALABEL in text


def test_the_webmail_names_the_accounts_domain_in_unicode(client, idn_world):
    client.force_login(idn_world["account"].user)
    inbox = client.get("/mail/")
    inbox = client.get(inbox.url) if inbox.status_code == 302 else inbox
    message = reverse("webmail:message", args=[inbox.context["folder"].pk, 1])
    urls = [inbox.wsgi_request.path, message, reverse("webmail:reply", args=[inbox.context["folder"].pk, 1]),
            "/mail/compose/", "/mail/settings/", "/mail/scheduled/", reverse("webmail:search") + "?q=Chào"]
    assert a_labels_shown(client, urls) == []
    assert f"an@{IDN}" in visible(inbox.content.decode())
