"""`manage.py relay`: relay tokens and networks from the shell."""
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from mailcore.relay.access import check_token
from mailcore.relay.models import RelayNetwork, RelayToken


def relay(*args):
    out = io.StringIO()
    call_command("relay", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_a_token_is_made_with_its_secret_printed_once(domain):
    out = relay("token", "add", "example.test", "invoices", "--sender", "billing@example.test", "--rate", "50")
    lines = out.splitlines()
    assert lines[0] == "Added relay token invoices for example.test."
    username = lines[1].removeprefix("User name: ")
    secret = lines[2].removeprefix("Secret: ")
    token = check_token(username, secret, "192.0.2.1")
    assert (token.senders, token.rate_per_hour) == (["billing@example.test"], 50)
    listing = relay("token", "list")
    assert secret not in listing
    assert listing.splitlines()[1].split("\t")[:6] == [
        "example.test", "invoices", username, "billing@example.test", "50/hour", "yes"]


def test_networks_are_added_listed_disabled_and_removed(domain):
    assert relay("network", "add", "example.test", "printers", "10.1.2.0/24") == \
        "Added relay network printers (10.1.2.0/24) for example.test.\n"
    records = json.loads(relay("network", "list", "--json", "--domain", "example.test"))
    assert records[0]["network"] == "10.1.2.0/24" and records[0]["senders"] == ["@example.test"]
    relay("network", "disable", "example.test", "printers")
    assert not RelayNetwork.objects.get().active
    relay("network", "enable", "example.test", "printers")
    relay("network", "remove", "example.test", "printers")
    assert not RelayNetwork.objects.exists()


def test_refused_input_names_the_field(domain):
    with pytest.raises(CommandError) as info:
        relay("network", "add", "example.test", "bad", "10.1.2.300")
    assert info.value.returncode == 1 and str(info.value).startswith("network: ")
    with pytest.raises(CommandError) as info:
        relay("token", "add", "example.test", "x", "--sender", "someone@example.org")
    assert str(info.value).startswith("senders: ")
    assert not RelayToken.objects.exists()
