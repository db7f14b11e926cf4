

def test_a_body_only_the_queue_holds_is_kept(alice):
    """The queue, scheduled sends and quarantine hold bodies through related_name="+"."""
    from mailcore.delivery.queue import Envelope, enqueue
    from mailcore.store.gc import collect_blobs

    enqueue(b"From: a@example.net\r\nSubject: queued\r\n\r\nonly the queue has me\r\n",
            Envelope(mail_from="a@example.net", recipients=["carol@example.net"]))
    assert collect_blobs() == 0
