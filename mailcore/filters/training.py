"""Learning from what users do: a message moved into Junk is spam, one moved out of Junk
(anywhere but Trash) is ham.

IMAP MOVE/COPY and the webmail's "report spam / not spam" all go through the store's
move_messages/copy_messages, which send messages_moved after commit (store/signals.py);
the receiver here trains the Bayesian classifier (bayes.py) and, for a domain whose
engine is rspamd, forwards the lesson to rspamd too.

Training runs in the thread that moved the messages, right after the commit: for IMAP
that is the store's thread pool, never the event loop, and for the webmail the request.
It is a few bulk statements per move (bayes.train_many), so it needs no queue; a move of
more than MAX_LEARN_PER_MOVE messages learns from the first ones only, which bounds how
long one command waits, and a user who sorts a whole mailbox at once teaches plenty.
Moving into Trash from Junk teaches nothing: deleting spam says nothing about ham.
"""
import logging

from django.db.models.signals import post_delete
from django.dispatch import receiver

from mailcore.directory.models import Account
from mailcore.store import blobs
from mailcore.store.models import Message
from mailcore.store.signals import messages_moved

from . import bayes
from .models import FilterPolicy
from .types import ScannerUnavailable

log = logging.getLogger(__name__)

JUNK, TRASH = "\\Junk", "\\Trash"
MAX_LEARN_PER_MOVE = 500


def lesson(source, target) -> bool | None:
    """What moving from source to target says: True spam, False ham, None nothing."""
    if target.special_use == JUNK and source.special_use != JUNK:
        return True
    if source.special_use == JUNK and target.special_use not in (JUNK, TRASH):
        return False
    return None


def _uses_rspamd(account_id: int) -> bool:
    domain_id = Account.objects.filter(pk=account_id).values_list("domain_id", flat=True).first()
    return FilterPolicy.objects.filter(domain_id=domain_id, engine=FilterPolicy.Engine.RSPAMD).exists()


def _forward_to_rspamd(messages: list[tuple[bytes, str]], spam: bool):
    from . import rspamd  # the engine module is optional until a domain chooses it

    for raw, digest in messages:
        try:
            rspamd.learn(raw, spam)
        except ScannerUnavailable as error:
            # The built-in classifier has learnt it; rspamd misses one lesson, not the user's move.
            log.warning("rspamd could not learn %s: %s", digest, error)


def learn(account_id: int, message_ids: list[int], spam: bool) -> int:
    """Teach the classifiers these messages of the account; return how many were new lessons."""
    digests = list(
        Message.objects.filter(pk__in=message_ids[:MAX_LEARN_PER_MOVE], account_id=account_id)
        .values_list("blob__digest", flat=True).distinct()
    )
    messages = []
    for digest in digests:
        try:
            messages.append((blobs.read(digest), digest))
        except FileNotFoundError:  # collected since the move: nothing to learn from
            continue
    learnt = bayes.train_many(account_id, messages, spam)
    if messages and _uses_rspamd(account_id):
        _forward_to_rspamd(messages, spam)
    return learnt


@receiver(messages_moved, dispatch_uid="filters.learn_from_move")
def learn_from_move(sender, account_id, source, target, message_ids, copied=False, **kwargs):
    spam = lesson(source, target)
    if spam is not None:
        learn(account_id, list(message_ids), spam)


@receiver(post_delete, sender=Account, dispatch_uid="filters.forget_account")
def forget_account(sender, instance, **kwargs):
    bayes.forget_account(instance.pk)
