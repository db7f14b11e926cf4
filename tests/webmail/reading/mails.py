"""Messages for the reading tests, built with the email package and put into a folder
through the store's one append path."""
from email.message import EmailMessage
from email.utils import format_datetime

from mailcore.store.append import append

# A 1x1 transparent PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000" "1f15c4890000000d49444154789c6360000002000005"
    "0001e226059b0000000049454e44ae426082")


def message(subject="Hello", text=None, html=None, sender="Bob Sender <bob@example.test>",
            to="alice@example.test", cc=None, date=None, attachments=(), inline_images=()):
    """Return raw bytes: text and/or html alternatives, inline images (cid), attachments."""
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = to
    if cc:
        mail["Cc"] = cc
    mail["Subject"] = subject
    if date is not None:
        mail["Date"] = format_datetime(date)
    mail["Message-ID"] = f"<{abs(hash((subject, text, html)))}@example.test>"
    if text is not None:
        mail.set_content(text)
    if html is not None:
        if text is None:
            mail.set_content(html, subtype="html")
        else:
            mail.add_alternative(html, subtype="html")
    html_part = mail.get_payload()[-1] if mail.is_multipart() else mail
    for cid, data in inline_images:
        html_part.add_related(data, "image", "png", cid=f"<{cid}>")
    for filename, maintype, subtype, data in attachments:
        mail.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return bytes(mail)


def put(account, raw, folder="INBOX", flags=(), internal_date=None):
    """Append raw to the account's folder; return (folder_id, uid)."""
    appended = append(account.pk, folder, raw, flags=flags, internal_date=internal_date)
    return appended.folder_id, appended.uid
