"""LIST-EXTENDED (RFC 5258) and LSUB (RFC 3501 §6.3.9) over the subscription list, as
Dovecot's imaptest groups listext and subscribe check them."""
import imaplib

import pytest

PASSWORD = "correct horse battery staple"


@pytest.fixture
def client(alice, imap):
    imap.login("alice@example.test", PASSWORD)
    return imap


def command(client, verb: str, arguments: str) -> list[bytes]:
    typ, data = client._simple_command(verb, arguments)
    assert typ == "OK", data
    return [line for line in client.untagged_responses.pop(verb, []) if line]


def by_name(lines: list[bytes]) -> dict[str, bytes]:
    """LIST/LSUB lines keyed by the mailbox name (unquoted atoms only, as these tests use)."""
    out = {}
    for line in lines:
        attributes, _, rest = line.partition(b') "/" ')
        name, _, extended = rest.partition(b" ")
        out[name.decode()] = attributes.lstrip(b"(") + (b" " + extended if extended else b"")
    return out


@pytest.fixture
def tree(client):
    """The imaptest listext tree: a few folders, some subscribed, one deleted after."""
    for name in ("t/test1", "t/test2/test1", "t/test3", "t/test4/test5", "t/test4/test52", "t/test6", "t/test7/test7",
                 "t/test8/test8", "t/test8/test9"):
        assert client.create(name)[0] == "OK"
    for name in ("t/test1", "t/test2/test1", "t/test6", "t/test7/test7", "t/test8/test8", "t/test8/test9"):
        assert client.subscribe(name)[0] == "OK"
    assert client.delete("t/test6")[0] == "OK"
    return client


def test_rfc9051_6_3_4_create_does_not_subscribe(client):
    client.create("Fresh/Child")
    assert command(client, "LSUB", '"" Fresh*') == []


def test_rfc5258_3_recursivematch_alone_or_with_remote_is_bad(client):
    for options in ("(RECURSIVEMATCH)", "(RECURSIVEMATCH REMOTE)"):
        with pytest.raises(imaplib.IMAP4.error, match="RECURSIVEMATCH"):
            client._simple_command("LIST", f'{options} "" "*"')
    assert command(client, "LIST", '(REMOTE) "" %')  # REMOTE alone is fine


def test_rfc5258_3_4_a_deleted_subscribed_folder_is_listed_nonexistent(tree):
    lines = by_name(command(tree, "LIST", '(SUBSCRIBED) "" t/*'))
    assert set(lines) == {"t/test1", "t/test2/test1", "t/test6", "t/test7/test7", "t/test8/test8", "t/test8/test9"}
    assert lines["t/test6"] == b"\\NonExistent \\Subscribed"
    assert b"\\Subscribed" in lines["t/test1"] and b"\\NonExistent" not in lines["t/test1"]


def test_rfc5258_3_5_recursivematch_returns_parents_with_childinfo(tree):
    lines = by_name(command(tree, "LIST", '(SUBSCRIBED RECURSIVEMATCH) "" t/test2% RETURN (CHILDREN)'))
    assert lines == {"t/test2": b'\\HasChildren (CHILDINFO ("SUBSCRIBED"))'}
    # A parent whose subscribed descendants are all returned themselves is not.
    assert set(by_name(command(tree, "LIST", '(SUBSCRIBED RECURSIVEMATCH) "" t*test7'))) == {"t/test7/test7"}
    lines = by_name(command(tree, "LIST", '(SUBSCRIBED RECURSIVEMATCH) "" t*test8'))
    assert lines["t/test8"] == b'\\HasChildren (CHILDINFO ("SUBSCRIBED"))'
    assert set(lines) == {"t/test8", "t/test8/test8"}
    several = by_name(command(tree, "LIST", '(SUBSCRIBED RECURSIVEMATCH) "" (t/test2 t/test2/test1)'))
    assert set(several) == {"t/test2/test1"}


def test_rfc5258_return_children_and_subscribed(tree):
    lines = by_name(command(tree, "LIST", '"" t/% RETURN (CHILDREN SUBSCRIBED)'))
    assert lines["t/test1"] == b"\\HasNoChildren \\Subscribed"
    assert lines["t/test2"] == b"\\HasChildren"
    assert lines["t/test3"] == b"\\HasNoChildren"
    assert "t/test6" not in lines  # gone from LIST, still on the subscription list


def test_rfc5258_3_several_patterns_in_parentheses(tree):
    lines = by_name(command(tree, "LIST", '"" (t/*2 t/test3)'))
    assert set(lines) == {"t/test2", "t/test3", "t/test4/test52"}


def test_rfc3501_6_3_9_lsub_percent_shows_an_unsubscribed_parent_as_noselect(client):
    for name in ("s/test", "s/test2/test", "s/test3/test3"):
        client.create(name)
        client.subscribe(name)
    lines = by_name(command(client, "LSUB", '"" s/%'))
    assert lines == {"s/test": b"", "s/test2": b"\\Noselect", "s/test3": b"\\Noselect"}
    assert set(by_name(command(client, "LSUB", '"" *test'))) == {"s/test", "s/test2/test"}
    client.unsubscribe("s/test3/test3")
    assert "s/test3" not in by_name(command(client, "LSUB", '"" s/%'))


def test_rfc3501_6_3_6_unsubscribe_removes_a_name_whose_folder_is_gone(tree):
    assert "t/test6" in by_name(command(tree, "LSUB", '"" t/*'))
    assert tree.unsubscribe("t/test6")[0] == "OK"
    assert "t/test6" not in by_name(command(tree, "LSUB", '"" t/*'))


def test_rfc5258_an_empty_pattern_in_the_extended_syntax_matches_nothing(client):
    assert command(client, "LIST", '"" ("")') == []
    assert command(client, "LIST", '"" "" RETURN (CHILDREN)') == []
    assert command(client, "LIST", '"" ""') == [b'(\\Noselect) "/" ""']  # the base syntax's special case
