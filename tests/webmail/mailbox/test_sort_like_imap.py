"""The webmail's list sorts by the values IMAP SORT sorts by (issue 15 point 4): subjects by
their RFC 5256 §2.1 base subject, senders and recipients by their RFC 5957 display name
(mailcore/store/sortkeys.py). Subjects and senders are compared in reading order there
(issue 17 point 12: Vietnamese collation, numbers by value, punctuation first), where SORT
compares the case-mapped text octet by octet (RFC 5256 §3, i;ascii-casemap): the two
orders agree but where the collations differ. Recipients (Sent) sort exactly as SORT
DISPLAYTO. Each order is asked of the webmail's view and of a live IMAP server through
imaplib (docs/webmail.md, "The message list")."""
import contextlib
import imaplib
from email.header import Header

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


def test_rfc5256_2_1_the_webmail_sorts_by_the_base_subject_imap_sorts_by_in_reading_order(
        alice_client, put, inbox, imap):
    for subject in ("Re: b", "Fwd: a", "[list] c", "a", "RE: [list] B", "_x", "Zed"):
        put(subject=subject)
    webmail = webmail_uids(alice_client, inbox, "subject")
    imap_order = imap_uids(imap, "INBOX", "(SUBJECT)")
    # a, a (mailbox order), b, B, c, Zed: Re:, Fwd: and [list] taken off in both.
    assert subjects(inbox, imap_order) == ["Fwd: a", "a", "Re: b", "RE: [list] B", "[list] c", "Zed", "_x"]
    # Only "_" moves: i;ascii-casemap compares it (0x5F) after the upper-case letters; reading
    # order puts punctuation before letters.
    assert subjects(inbox, webmail) == ["_x", "Fwd: a", "a", "Re: b", "RE: [list] B", "[list] c", "Zed"]
    assert [uid for uid in webmail if uid != 6] == [uid for uid in imap_order if uid != 6]
    # Descending is the same list reversed (ties too); IMAP REVERSE keeps ties in mailbox order.
    assert webmail_uids(alice_client, inbox, "subject", "desc") == webmail[::-1]
    assert imap_uids(imap, "INBOX", "(REVERSE SUBJECT)") == [6, 7, 3, 1, 5, 2, 4]


def test_the_webmail_reads_vietnamese_base_subjects_in_vietnamese_order(alice_client, put, inbox, imap):
    for prefix, subject in (("", "Đơn hàng 10"), ("Re: ", "Đơn hàng 2"), ("", "Dự án"), ("Fwd: ", "Anh")):
        put(subject=prefix + Header(subject, "utf-8").encode())
    webmail = webmail_uids(alice_client, inbox, "subject")
    # "Đ" after "D", not after "Z"; "2" before "10": the base subject, in reading order.
    assert subjects(inbox, webmail) == ["Fwd: Anh", "Dự án", "Re: Đơn hàng 2", "Đơn hàng 10"]
    # SORT keeps RFC 5256: the same base subjects, case-mapped, digit by digit.
    assert subjects(inbox, imap_uids(imap, "INBOX", "(SUBJECT)")) == ["Fwd: Anh", "Dự án", "Đơn hàng 10",
                                                                      "Re: Đơn hàng 2"]


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
