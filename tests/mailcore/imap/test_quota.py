"""QUOTA (RFC 9208): the account's quota as one root."""
from mailcore.directory.services import set_quota
from mailcore.store.append import append

PASSWORD = "correct horse battery staple"


def test_getquotaroot_reports_usage_in_kilobytes(alice, imap):
    set_quota("alice@example.test", 10 * 1024 * 1024)
    append(alice.pk, "INBOX", b"Subject: x\r\n\r\n" + b"y" * 3000)
    imap.login("alice@example.test", PASSWORD)
    typ, data = imap.getquotaroot("INBOX")
    assert typ == "OK"
    assert data[0] == [b'INBOX ""']
    assert data[1] == [b'"" (STORAGE 3 10240)']
    typ, data = imap.getquota('""')
    assert typ == "OK" and data == [b'"" (STORAGE 3 10240)']


def test_an_unlimited_account_has_no_quota_root(alice, imap):
    set_quota("alice@example.test", 0)
    imap.login("alice@example.test", PASSWORD)
    typ, data = imap.getquotaroot("INBOX")
    assert typ == "OK" and data[0] == [b"INBOX"]


def test_setquota_is_refused(alice, imap):
    imap.login("alice@example.test", PASSWORD)
    typ, data = imap.setquota('""', "(STORAGE 1)")
    assert typ == "NO" and b"NOPERM" in data[0]
