"""The webmail's list sorts as IMAP SORT does (issue 15 point 4): subjects by their RFC 5256
§2.1 base subject, senders and recipients by their RFC 5957 display name, through the
same stored keys (mailcore/store/sortkeys.py). Each order is asked of the webmail's view
and of a live IMAP server through imaplib, and they must agree."""
import contextlib
import imaplib

import pytest

from mailcore.imap.listeners import FACTORIES
from tests.conftest import PASSWORD
from tests.support.hosts import running_host

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def imap(settings, tmp_path, alice):
    with running_host(settings, tmp_path, FACTORIES, ("imap",)) as host:
        client = imaplib.IMAP4("127.0.0.1", host.ports["imap"], timeout=10)
        client.login("alice@example.test", PASSWORD)
        yield client
        with contextlib.suppress(imaplib.IMAP4.error, OSError):
            client.logout()


def webmail_uids(client, folder, sort, direction="asc"):
    response = client.get(f"/mail/folder/{folder.pk}/?sort={sort}&dir={direction}")
    assert response.status_code == 200
    return [row.uid for row in response.context["page"].rows]


def imap_uids(imap, folder_name, criteria):
    imap.select(folder_name)
    typ, data = imap.uid("SORT", criteria, "UTF-8", "ALL")
    assert typ == "OK", data
    return [int(uid) for uid in data[0].split()]


def subjects(folder, uids):
    by_uid = dict(folder.messages.values_list("uid", "subject"))
    return [by_uid[uid] for uid in uids]


def test_rfc5256_2_1_the_webmail_sorts_subjects_by_their_base_subject_as_imap_does(alice_client, put, inbox, imap):
    for subject in ("Re: b", "Fwd: a", "[list] c", "a", "RE: [list] B", "_x", "Zed"):
        put(subject=subject)
    webmail = webmail_uids(alice_client, inbox, "subject")
    assert webmail == imap_uids(imap, "INBOX", "(SUBJECT)")
    # a, a (mailbox order), b, B, c, Zed, then "_" (i;ascii-casemap compares upper case)
    assert subjects(inbox, webmail) == ["Fwd: a", "a", "Re: b", "RE: [list] B", "[list] c", "Zed", "_x"]
    # Descending is the same list reversed (ties too); IMAP REVERSE keeps ties in mailbox order.
    assert webmail_uids(alice_client, inbox, "subject", "desc") == webmail[::-1]
    assert imap_uids(imap, "INBOX", "(REVERSE SUBJECT)") == [6, 7, 3, 1, 5, 2, 4]


def test_rfc5957_the_webmail_sorts_senders_by_their_display_name_as_imap_does(alice_client, put, inbox, imap):
    for sender in ("Xuan <a@example.org>", "bob@example.org", "=?utf-8?q?=C3=81nh?= <z@example.org>",
                   '"" <carol@example.org>', "an <y@example.org>"):
        put(sender=sender)
    webmail = webmail_uids(alice_client, inbox, "from")
    assert webmail == imap_uids(imap, "INBOX", "(DISPLAYFROM)")
    assert webmail == [5, 3, 2, 4, 1]  # an, Ánh, bob@…, carol@…, Xuan


def test_rfc5957_sent_mail_sorts_by_the_first_recipient_as_imap_displayto(alice_client, put, alice, imap):
    for to in ("Minh <m@example.org>", "team: a@example.org, b@example.org;", "bea@example.org"):
        put(folder="Sent", to=to)
    sent = alice.folders.get(name="Sent")
    html = alice_client.get(f"/mail/folder/{sent.pk}/").content.decode()
    assert "sort=to" in html and "sort=from" not in html  # the column shows recipients there
    webmail = webmail_uids(alice_client, sent, "to")
    assert webmail == imap_uids(imap, "Sent", "(DISPLAYTO)")
    assert webmail == [3, 1, 2]  # bea@…, Minh, team (a group sorts by its name)
