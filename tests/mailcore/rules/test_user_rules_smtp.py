"""A real SMTP delivery through smtplib to the MX listener, sorted by alice's rules."""
from email.message import EmailMessage

from mailcore.delivery.models import MailRule
from mailcore.store.models import Message
from tests.mailcore.smtp.conftest import wait_for


def test_mail_over_smtp_is_sorted_by_the_accounts_rules(alice, mx):
    MailRule.objects.create(account=alice, name="Invoices", conditions=[
        {"field": "subject", "op": "contains", "value": "hoa don", "ignore_accents": True}],
        actions=[{"action": "move", "folder": "Archive"}, {"action": "mark_read"}])
    for subject in ("Hóa đơn tháng 11", "lunch"):
        mail = EmailMessage()
        mail["From"], mail["To"], mail["Subject"] = "bob@example.net", "alice@example.test", subject
        mail.set_content("body\n")
        mx.send_message(mail, "bob@example.net", ["alice@example.test"])
    wait_for(lambda: Message.objects.filter(account=alice).count() == 2, what="delivery")
    messages = Message.objects.filter(account=alice).select_related("folder")
    placed = {message.subject: (message.folder.name, message.seen) for message in messages}
    assert placed == {"Hóa đơn tháng 11": ("Archive", True), "lunch": ("INBOX", False)}
