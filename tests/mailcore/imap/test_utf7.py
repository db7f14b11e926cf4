"""Modified UTF-7 mailbox names (RFC 3501 §5.1.3)."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mailcore.imap.utf7 import InvalidMailboxName, decode, encode


@pytest.mark.parametrize(("name", "wire"), [
    ("INBOX", "INBOX"),
    ("Hóa đơn", "H&APM-a &AREBoQ-n"),
    ("Tom & Jerry", "Tom &- Jerry"),
    ("~peter/mail/台北/日本語", "~peter/mail/&U,BTFw-/&ZeVnLIqe-"),
    ("Thư đã gửi", "Th&AbA- &AREA4w- g&Hu0-i"),
])
def test_known_names(name, wire):
    assert encode(name) == wire
    assert decode(wire) == name


@pytest.mark.parametrize("wire", ["&", "&Jjo", "&Jjo!-", "&AGE-", "H\u00f3a", "&ZeVnLIqe", "&,,,-"])
def test_invalid_or_non_canonical_names_are_refused(wire):
    with pytest.raises(InvalidMailboxName):
        decode(wire)


@given(st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=30))
def test_every_name_round_trips(name):
    assert decode(encode(name)) == name
