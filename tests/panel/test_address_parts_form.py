"""New alias and new account: the address is typed as its local part beside a menu of the
admin's own domains (named as people read them, IDN in Unicode), never as one field
pre-filled with "@domain" that typing lands after ("@acme.testinfo")."""
import re

import pytest
from django.urls import reverse

from mailcore.directory import services
from mailcore.directory.models import Account, Alias, DomainAdmin
from tests.conftest import PASSWORD

ALIAS_NEW = reverse("panel:alias_create")
ACCOUNT_NEW = reverse("panel:account_create")
IDN = "công-ty.vn"
IDN_ALABEL = "xn--cng-ty-ixa.vn"


@pytest.fixture
def idn_domain(domain_admin):
    domain = services.create_domain(IDN)
    DomainAdmin.objects.create(user=domain_admin, domain=domain)
    services.create_account(f"an@{IDN}", PASSWORD)
    return domain


def options(html: str) -> list[tuple[str, str, bool]]:
    select = re.search(r'<select name="domain"[^>]*>(.*?)</select>', html, re.S).group(1)
    return [(value, label.strip(), bool(selected)) for value, selected, label in
            re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select)]


@pytest.mark.parametrize("url", [ALIAS_NEW, ACCOUNT_NEW])
def test_the_menu_holds_the_admins_domains_in_reading_order_named_in_unicode(owner_client, idn_domain, url):
    html = owner_client.get(url).content.decode()
    assert [(value, label) for value, label, _selected in options(html)] == [
        (IDN_ALABEL, IDN), ("example.test", "example.test")]  # "công-ty" before "example", not "xn--" after it
    assert 'name="localpart"' in html and 'value="@' not in html  # nothing typed for the user
    assert "example.org" not in html  # not theirs


@pytest.mark.parametrize("url", [ALIAS_NEW, ACCOUNT_NEW])
@pytest.mark.parametrize("spelling", [IDN, IDN_ALABEL, "CÔNG-TY.VN"])
def test_a_domain_link_preselects_that_domain(owner_client, idn_domain, url, spelling):
    chosen = [value for value, _label, selected in options(owner_client.get(url, {"domain": spelling}).content.decode())
              if selected]
    assert chosen == [IDN_ALABEL]


def test_a_domain_link_to_another_admins_domain_preselects_nothing(owner_client, idn_domain, other_domain):
    assert not any(selected for *_rest, selected in options(owner_client.get(ALIAS_NEW, {"domain": "example.org"})
                                                             .content.decode()))


def test_an_alias_is_the_name_typed_at_the_domain_chosen(owner_client, idn_domain):
    response = owner_client.post(ALIAS_NEW, {"localpart": "Info", "domain": IDN_ALABEL, "targets": f"an@{IDN}"})
    assert response.status_code == 302
    alias = Alias.objects.get()
    assert (alias.localpart, alias.domain.name, str(alias)) == ("info", IDN_ALABEL, f"info@{IDN}")


def test_a_whole_address_typed_in_the_name_field_is_understood(owner_client, idn_domain):
    owner_client.post(ALIAS_NEW, {"localpart": f"sales@{IDN}", "domain": "example.test", "targets": f"an@{IDN}"})
    assert str(Alias.objects.get()) == f"sales@{IDN}"


def test_a_name_with_a_domain_that_is_not_a_domain_is_explained(owner_client, idn_domain):
    response = owner_client.post(ALIAS_NEW, {"localpart": "sales@", "domain": "example.test", "targets": f"an@{IDN}"})
    assert "choose the domain from the list" in response.context["form"].errors["localpart"][0]


def test_an_empty_name_without_the_catch_all_box_is_refused(owner_client, idn_domain):
    response = owner_client.post(ALIAS_NEW, {"localpart": "", "domain": IDN_ALABEL, "targets": f"an@{IDN}"})
    assert response.status_code == 400
    assert response.context["form"].errors["localpart"] == ["Type the part before @."]
    assert not Alias.objects.exists()


def test_the_catch_all_box_makes_the_catch_all_whatever_was_typed(owner_client, idn_domain):
    owner_client.post(ALIAS_NEW, {"localpart": "typed-before", "catch_all": "on", "domain": IDN_ALABEL,
                                  "targets": f"an@{IDN}"})
    alias = Alias.objects.get()
    assert alias.localpart == "" and alias.domain == idn_domain


def test_a_domain_not_in_the_menu_is_refused(owner_client, idn_domain, other_domain):
    response = owner_client.post(ALIAS_NEW, {"localpart": "x", "domain": "example.org", "targets": f"an@{IDN}"})
    assert response.context["form"].errors["domain"] == ["Choose one of your domains."]


def test_an_account_is_the_name_typed_at_the_domain_chosen(owner_client, idn_domain):
    response = owner_client.post(ACCOUNT_NEW, {"localpart": "binh", "domain": IDN_ALABEL, "password": PASSWORD,
                                               "password2": PASSWORD, "quota": "", "display_name": "Bình"})
    account = Account.objects.get(localpart="binh")
    assert response["Location"] == reverse("panel:account_detail", args=[account.pk])
    assert account.display_address == f"binh@{IDN}"


def test_a_form_sent_back_keeps_what_was_typed_and_chosen(owner_client, idn_domain):
    response = owner_client.post(ALIAS_NEW, {"localpart": "ban-hang", "domain": IDN_ALABEL, "targets": ""})
    html = response.content.decode()
    assert response.status_code == 400 and 'value="ban-hang"' in html
    assert [value for value, _label, selected in options(html) if selected] == [IDN_ALABEL]
