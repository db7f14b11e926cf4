"""RFC 8461 §3.1, §3.2 and §4.1: the TXT record, the policy file and MX patterns."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mailcore.delivery.outbound.mta_sts import PolicyError, mx_matches, parse_policy, parse_txt


def test_rfc8461_3_1_the_id_of_one_stsv1_record():
    assert parse_txt(["v=STSv1; id=20160831085700Z;"]) == "20160831085700Z"
    assert parse_txt(["v=spf1 -all", "v=STSv1;id=abc"]) == "abc"


@pytest.mark.parametrize("records", [
    [], ["v=spf1 -all"], ["v=STSv1; id=a;", "v=STSv1; id=b;"], ["id=abc; v=STSv1"], ["v=STSv1; id=bad-id;"],
    ["v=STSv1; id=" + "a" * 33], ["v=STSv10; id=abc"],
])
def test_rfc8461_3_1_anything_else_is_no_policy(records):
    assert parse_txt(records) is None


def test_rfc8461_3_2_the_policy_fields():
    policy = parse_policy("version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\n"
                          "max_age: 604800\r\nextension: ignored\r\n", "x1")
    assert (policy.mode, policy.mx, policy.max_age, policy.policy_id) == (
        "enforce", ("mail.example.com", "*.example.net"), 604800, "x1")


@pytest.mark.parametrize("text", [
    "mode: enforce\nmx: a.example\nmax_age: 1\n",
    "version: STSv2\nmode: enforce\nmx: a.example\nmax_age: 1\n",
    "version: STSv1\nmode: strict\nmx: a.example\nmax_age: 1\n",
    "version: STSv1\nmode: enforce\nmax_age: 1\n",
    "version: STSv1\nmode: enforce\nmx: a.example\nmax_age: soon\n",
])
def test_rfc8461_3_2_a_broken_policy_is_refused(text):
    with pytest.raises(PolicyError):
        parse_policy(text, "x")


def test_rfc8461_3_2_max_age_is_capped_at_a_year():
    assert parse_policy("version: STSv1\nmode: testing\nmx: a.example\nmax_age: 9999999999\n", "x").max_age \
        == 31_557_600


@pytest.mark.parametrize("pattern, host, matches", [
    ("mail.example.com", "mail.example.com", True),
    ("mail.example.com", "MAIL.Example.com.", True),
    ("*.example.com", "mx1.example.com", True),
    ("*.example.com", "example.com", False),
    ("*.example.com", "a.mx1.example.com", False),
    ("mail.example.com", "mail2.example.com", False),
])
def test_rfc8461_4_1_mx_patterns(pattern, host, matches):
    assert mx_matches(pattern, host) is matches


@given(st.text(max_size=300))
def test_any_policy_text_parses_or_is_refused_cleanly(text):
    try:
        policy = parse_policy(text, "x")
    except PolicyError:
        return
    assert policy.mode in ("enforce", "testing", "none") and 0 <= policy.max_age <= 31_557_600
