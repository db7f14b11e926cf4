"""The autocomplete endpoint answers JSON from the signed-in account's contacts only."""
from mailcore import contacts


def test_it_answers_the_accounts_own_contacts(alice_client, alice, bob):
    contacts.remember(alice.pk, [("Carol", "carol@example.net")], sent=True)
    contacts.remember(bob.pk, [("Cathy", "cathy@example.net")], sent=True)
    response = alice_client.get("/mail/compose/contacts/", {"q": "ca"})
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"results": [{"name": "Carol", "address": "carol@example.net"}]}


def test_it_needs_a_signed_in_user(client):
    assert client.get("/mail/compose/contacts/", {"q": "ca"}).status_code == 302
