"""RFC 1939 §6: DELE marks, the UPDATE state (QUIT) removes; what it removes stays
recoverable (docs/recovery.md), and comes back in INBOX with a new UIDL."""
from mailcore.store.append import append
from mailcore.store.models import Folder, RecoverableMessage
from mailcore.store.recovery import recover

PASSWORD = "correct horse battery staple"


def test_dele_then_quit_keeps_the_message_recoverable(alice, pop):
    append(alice.pk, "INBOX", b"From: bob@example.test\r\nSubject: popped\r\n\r\nbody\r\n")
    pop.user("alice@example.test")
    pop.pass_(PASSWORD)
    validity = Folder.objects.get(account=alice, name="INBOX").uidvalidity
    assert pop.uidl(1) == f"+OK 1 {validity}.1".encode()
    pop.dele(1)
    pop.quit()
    row = RecoverableMessage.objects.get(account=alice)
    assert (row.subject, row.folder_name) == ("popped", "INBOX")
    [(_pk, _folder, uid)] = recover(alice.pk, [row.pk]).recovered
    assert uid == 2


def test_dele_then_rset_keeps_nothing_recoverable(alice, pop):
    append(alice.pk, "INBOX", b"Subject: kept\r\n\r\nbody\r\n")
    pop.user("alice@example.test")
    pop.pass_(PASSWORD)
    pop.dele(1)
    pop.rset()
    pop.quit()
    assert not RecoverableMessage.objects.exists()
