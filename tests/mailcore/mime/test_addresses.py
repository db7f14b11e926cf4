"""ENVELOPE address lists: groups, routes and placeholders (RFC 3501 §7.4.2), and the fast
path (the summary's own getaddresses result) answering as the full split does."""
from hypothesis import example, given, settings
from hypothesis import strategies as st

from mailcore.mime.addresses import envelope_addresses
from mailcore.mime.fields import HeaderFields

END = [None, None, None, None]


def test_rfc3501_7_4_2_a_group_is_a_start_entry_its_members_and_an_end_entry():
    assert envelope_addresses(["team: a@x.example, \"B, b\" <b@y.example>;, c@z.example"]) == [
        [None, None, "team", None], [None, None, "a", "x.example"], ["B, b", None, "b", "y.example"], END,
        [None, None, "c", "z.example"]]


def test_rfc3501_7_4_2_an_empty_or_unterminated_group_still_ends():
    assert envelope_addresses(["Undisclosed recipients:;"]) == [[None, None, "Undisclosed recipients", None], END]
    assert envelope_addresses(["team: a@x.example"]) == [[None, None, "team", None], [None, None, "a", "x.example"],
                                                         END]


def test_rfc5322_4_4_a_source_route_is_the_adl():
    assert envelope_addresses(["Al <@r1.example,@r2.example:al@x.example>"]) == [
        ["Al", "@r1.example,@r2.example", "al", "x.example"]]


def test_a_missing_mailbox_or_domain_gets_a_placeholder_not_nil():
    assert envelope_addresses(["nodomain, <>, @x.example"]) == [
        [None, None, "nodomain", "MISSING_DOMAIN"], [None, None, "MISSING_MAILBOX", "MISSING_DOMAIN"],
        [None, None, "MISSING_MAILBOX", "x.example"]]


def test_rfc5322_3_4_comments_beside_a_name_addr_are_not_its_display_name():
    assert envelope_addresses(["Real (c) <a@x.example>, <b (note) @ x.example>, c@x.example (Name)"]) == [
        ["Real", None, "a", "x.example"], [None, None, "b", "x.example"], ["Name", None, "c", "x.example"]]
    assert envelope_addresses(['"Real (c)" <a@x.example>']) == [["Real (c)", None, "a", "x.example"]]


def test_a_colon_inside_quotes_or_brackets_is_no_group():
    assert envelope_addresses(['"Re: x" <a@x.example>']) == [["Re: x", None, "a", "x.example"]]


def _fast(value):
    headers = HeaderFields([("To", value)])
    return envelope_addresses(headers.get_all("to"), headers.addresses("to"))


_ATOM = st.text(alphabet="abcxyz019-_", min_size=1, max_size=6)
_DISPLAY = st.one_of(
    st.just(""),
    st.lists(_ATOM, min_size=1, max_size=3).map(" ".join),
    st.text(alphabet="ab ,:;<>@.()é\t", min_size=1, max_size=10).map(
        lambda text: '"' + text.replace("\\", "").replace('"', "") + '"'),
    st.just("=?utf-8?q?T=C3=A9st?="),
)
_ADDRESS = st.builds(lambda display, local, domain, bracket: (
    f"{display} <{local}@{domain}>" if display or bracket else f"{local}@{domain}"),
    _DISPLAY, _ATOM, st.lists(_ATOM, min_size=1, max_size=3).map(".".join), st.booleans())
_SEPARATOR = st.sampled_from([", ", ",", ",\r\n ", " ,\t"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_ADDRESS, min_size=1, max_size=5), _SEPARATOR)
@example(['"a, b" <x@y.example>', "c@d.example"], ", ")
@example(['"A  B" <a@b.example>'], ", ")
def test_the_fast_path_answers_as_the_full_split(addresses, separator):
    value = separator.join(addresses)
    assert _fast(value) == envelope_addresses([value])
