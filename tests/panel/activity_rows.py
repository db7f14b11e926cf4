"""Queue rows for the activity tests, made by the real enqueue (no delivery runs in them)."""
from mailcore.delivery.models import QueueRecipient
from mailcore.delivery.queue import Envelope, enqueue


def raw_message(message_id: str, sender: str = "someone@example.net") -> bytes:
    return (f"From: {sender}\r\nTo: you\r\nSubject: test\r\nMessage-ID: <{message_id}>\r\n\r\nHello\r\n").encode()


def queued(recipient: str, *, sender: str = "someone@example.net", message_id: str = "m@example.net",
           source: str = "mx", account=None) -> QueueRecipient:
    """One message to one recipient, as the listeners queue it; returns its recipient row."""
    pk = enqueue(raw_message(message_id, sender), Envelope(sender, [recipient], source=source,
                                                           account_id=account.pk if account else None))
    return QueueRecipient.objects.get(message_id=pk)
