"""No header value crashes a page (issue 17 point 1): messages with hostile and unusual
Date, From, To, Cc, Reply-To, Subject and msg-id fields (tests/webmail/header_values.py)
are appended to the store and every page that shows them is fetched over HTTP: the
folder list, the message, its print view, reply, reply-all, forward, and the reply
saved as a draft, reopened and listed in Drafts. Django's test client re-raises a view's exception, so a
500 fails the test with its traceback."""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.webmail.header_values import hostile_headers, raw_message
from tests.webmail.reading.mails import put

PAGES = ("", "print/", "reply/", "reply-all/", "forward/")


def _draft_from(client, initial) -> None:
    """Save the prefilled reply as a draft: a 400 for an address the form refuses is a
    fair answer, a 500 is not. Then reopen it, as the Drafts folder does."""
    fields = {key: initial.get(key, "") for key in ("to", "cc", "subject", "body", "in_reply_to", "references")}
    response = client.post("/mail/compose/", {**fields, "from_address": "alice@example.test", "bcc": "",
                                              "action": "save"}, HTTP_ACCEPT="application/json")
    assert response.status_code in (200, 400), response.content
    if response.status_code == 200:
        assert client.get(f"/mail/compose/draft/{response.json()['uid']}/").status_code == 200
        drafts_folder = response.json()["source"].partition(":")[0]
        assert client.get(f"/mail/folder/{drafts_folder}/").status_code == 200  # lists recipients


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(fields=hostile_headers(), drafted=st.booleans())
def test_rfc5322_no_header_value_breaks_the_list_the_message_or_the_reply(alice_client, alice, fields, drafted):
    folder_id, uid = put(alice, raw_message(fields))
    for suffix in PAGES:
        response = alice_client.get(f"/mail/folder/{folder_id}/{uid}/{suffix}")
        assert response.status_code == 200, suffix
        if suffix == "reply/" and drafted:
            _draft_from(alice_client, response.context["form"].initial)
    assert alice_client.get(f"/mail/folder/{folder_id}/").status_code == 200
    assert alice_client.get("/mail/search/", {"q": "Hello"}).status_code == 200
