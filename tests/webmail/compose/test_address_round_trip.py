"""A display name survives the whole trip (issue 17 point 2): shown decoded and quoted
where RFC 5322 §3.4 requires in the To field, read back by the form, encoded as RFC 2047
words only in the built message (§5(3): a phrase), and decoded from it to the same name."""
from hypothesis import given, settings
from hypothesis import strategies as st

from mailcore.mime.fields import parse_fields
from mailcore.mime.headers import address_list
from tests.webmail.header_values import NAMES
from webmail.compose.building import Draft, build
from webmail.compose.forms import parse_addresses
from webmail.compose.parsing import format_addresses


def _normal(name: str) -> str:
    return " ".join(name.split())


@settings(max_examples=300, deadline=None)
@given(st.lists(NAMES.filter(lambda name: name.isprintable()), min_size=1, max_size=3))
def test_rfc2047_a_name_typed_in_to_leaves_encoded_and_decodes_back(names):
    pairs = [(name, f"p{index}@partner.test") for index, name in enumerate(names)]
    typed = format_addresses(pairs)
    assert "=?" not in typed or any("=?" in name for name in names)
    read = parse_addresses(typed, "to")
    assert read == [(_normal(name), address) for name, address in pairs]
    raw = build(Draft(sender=("Phạm Minh", "alice@example.test"), to=read, subject="x", text="y"), "example.test")
    header = raw.split(b"\r\n\r\n")[0]
    assert header.isascii()  # RFC 2047: 7-bit on the wire, names as encoded-words
    decoded = address_list(parse_fields(header + b"\r\n\r\n"), "to")
    assert [(_normal(name), address) for name, address in decoded] == [(_normal(name), a) for name, a in read]
