"""Address and domain validation: RFC 5321 limits, RFC 6531 UTF-8, canonical form."""
import unicodedata

import pytest
from django.core.exceptions import ValidationError

from mailcore.directory.addresses import (
    Address,
    address_to_unicode,
    domain_to_unicode,
    normalize_domain,
    parse_address,
)
from mailcore.directory.services import create_account, get_account
from tests.conftest import PASSWORD

VI_DOMAIN_ALABEL = "xn--v-d-rma6749a.vn"  # ví-dụ.vn


def refused(text, **kwargs):
    with pytest.raises(ValidationError) as info:
        parse_address(text, **kwargs)
    return info.value.message_dict


def test_it_accepts_a_utf8_localpart_and_stores_the_domain_as_its_a_label():
    address = parse_address("nguyễn@ví-dụ.vn")
    assert address == Address("nguyễn", VI_DOMAIN_ALABEL)
    assert str(address) == f"nguyễn@{VI_DOMAIN_ALABEL}"


def test_it_shows_the_domain_as_its_u_label():
    assert parse_address(f"nguyễn@{VI_DOMAIN_ALABEL}").display == "nguyễn@ví-dụ.vn"
    assert domain_to_unicode(VI_DOMAIN_ALABEL) == "ví-dụ.vn"


@pytest.mark.parametrize(("stored", "shown"), [
    (f"an@{VI_DOMAIN_ALABEL}", "an@ví-dụ.vn"),
    (VI_DOMAIN_ALABEL, "ví-dụ.vn"),
    (f"Khách <k@{VI_DOMAIN_ALABEL.upper()}>, b@example.test", "Khách <k@ví-dụ.vn>, b@example.test"),
    ("xn--abc@example.test", "xn--abc@example.test"),  # a local part is never decoded
    ("an@xn--zz.test", "an@xn--zz.test"),  # not valid punycode: left as it is
    ("an@example.test", "an@example.test"),
    ("", ""),
    (None, None),
])
def test_addresses_are_shown_with_their_domains_in_unicode(stored, shown):
    assert address_to_unicode(stored) == shown


def test_it_stores_a_hosted_utf8_account_with_the_a_label(db):
    from mailcore.directory.services import create_domain

    domain = create_domain("VÍ-DỤ.vn")
    account = create_account("Nguyễn@ví-dụ.vn", PASSWORD)
    assert domain.name == VI_DOMAIN_ALABEL
    assert account.address == f"nguyễn@{VI_DOMAIN_ALABEL}"
    assert account.display_address == "nguyễn@ví-dụ.vn"
    assert get_account(f"NGUYỄN@{VI_DOMAIN_ALABEL}") == account


def test_it_treats_precomposed_and_decomposed_letters_as_one_address():
    decomposed = unicodedata.normalize("NFD", "nguyễn@ví-dụ.vn")
    assert decomposed != "nguyễn@ví-dụ.vn"
    assert parse_address(decomposed) == parse_address("nguyễn@ví-dụ.vn")


def test_it_lower_cases_the_domain_and_the_localpart():
    assert parse_address("Alice.Smith@EXAMPLE.Test") == Address("alice.smith", "example.test")
    assert normalize_domain("ExAmPlE.TEST") == "example.test"


def test_it_accepts_a_localpart_of_exactly_64_bytes():
    assert parse_address("a" * 64 + "@example.test").localpart == "a" * 64


def test_it_refuses_a_localpart_longer_than_64_bytes():
    assert "address" in refused("a" * 65 + "@example.test")


def test_it_counts_the_localpart_in_utf8_bytes_not_characters():
    # 22 × "ễ" is 22 characters but 66 bytes.
    assert "64 bytes" in refused("ễ" * 22 + "@example.test")["address"][0]


def test_it_measures_the_localpart_after_lower_casing():
    # "İ" is 2 bytes, its lower case "i̇" is 3: 32 of them grow from 64 to 96 bytes.
    assert "64 bytes" in refused("İ" * 32 + "@example.test")["address"][0]


def test_it_refuses_an_over_long_domain():
    long_domain = ".".join(["a" * 63, "b" * 63, "c" * 63, "d" * 62])  # 254 characters
    with pytest.raises(ValidationError) as info:
        normalize_domain(long_domain)
    assert "domain" in info.value.message_dict


def test_it_refuses_a_domain_label_longer_than_63_characters():
    with pytest.raises(ValidationError):
        normalize_domain("a" * 64 + ".test")


def test_it_refuses_an_address_longer_than_254_bytes():
    assert "254" in refused("a@" + ".".join(["a" * 63] * 4))["address"][0]


@pytest.mark.parametrize("text", [".alice@example.test", "alice.@example.test", "al..ice@example.test"])
def test_it_refuses_leading_trailing_and_double_dots(text):
    assert "dot" in refused(text)["address"][0]


def test_it_accepts_single_dots_inside_the_localpart():
    assert parse_address("a.b.c@example.test").localpart == "a.b.c"


def test_it_refuses_quoted_localparts_for_hosted_addresses():
    assert "Quoted" in refused('"john doe"@example.test')["address"][0]


def test_it_accepts_quoted_localparts_when_allowed_for_external_targets():
    assert parse_address('"john doe"@example.net', allow_quoted=True).localpart == '"john doe"'


@pytest.mark.parametrize("char", ["\x00", "\t", "\r", "\n", "\x7f", "\x85", "\u2028", "\u00a0"])
def test_it_refuses_control_characters_and_unicode_spaces_in_the_localpart(char):
    assert "address" in refused(f"al{char}ice@example.test")


def test_it_refuses_control_characters_in_the_domain():
    with pytest.raises(ValidationError):
        normalize_domain("exam\x00ple.test")


@pytest.mark.parametrize("text", ["alice", "alice@", "@example.test", "alice@localhost",
                                  "alice@[127.0.0.1]", "alice@127.0.0.1", "alice@example.test.",
                                  "alice@ex_ample.test", "@a:b@example.test", ""])
def test_it_refuses_what_is_not_a_hosted_address(text):
    assert "address" in refused(text)


def test_it_names_the_field_it_was_given():
    assert "targets" in refused("nope", field="targets")


def test_it_parses_a_catch_all_only_when_asked():
    assert parse_address("@Example.Test", allow_catchall=True) == Address("", "example.test")
    assert parse_address("@example.test", allow_catchall=True).is_catchall
    assert "address" in refused("@example.test")


def test_it_strips_angle_brackets_and_surrounding_space():
    assert parse_address("  <alice@example.test> ") == Address("alice", "example.test")
