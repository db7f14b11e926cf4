"""A domain whose engine is rspamd has its users' lessons forwarded to rspamd's controller
too (Debian's rspamd on loopback); a domain on the built-in engine keeps them to itself."""
import random

import pytest

from mailcore.bench import spam_corpus
from mailcore.filters import rspamd as engine
from mailcore.filters.models import FilterPolicy
from mailcore.store.append import append
from mailcore.store.messages import move_messages
from tests.support.services_filters import rspamd  # noqa: F401

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _use_rspamd(settings, rspamd):  # noqa: F811
    settings.HOPTHU_RSPAMD_URL = rspamd.url
    settings.HOPTHU_RSPAMD_CONTROLLER_URL = rspamd.controller_url
    settings.HOPTHU_RSPAMD_PASSWORD = rspamd.password


def unseen_spam() -> bytes:
    """A spam rspamd has not learnt (it remembers learnt digests for the whole run)."""
    return spam_corpus.messages(random.Random(), 1, True, "alice@example.test")[0]


def report_spam(alice, raw, capture):
    added = append(alice.pk, "INBOX", raw)
    with capture(execute=True):
        move_messages(alice.pk, "INBOX", [added.uid], "Junk")


def test_moving_into_junk_teaches_rspamd_when_the_domain_uses_it(alice, django_capture_on_commit_callbacks):
    FilterPolicy.objects.create(domain=alice.domain, engine=FilterPolicy.Engine.RSPAMD)
    raw = unseen_spam()
    report_spam(alice, raw, django_capture_on_commit_callbacks)
    assert engine.learn(raw, spam=True) is False  # rspamd: already learnt as spam


def test_the_built_in_engine_keeps_lessons_to_itself(alice, django_capture_on_commit_callbacks):
    raw = unseen_spam()
    report_spam(alice, raw, django_capture_on_commit_callbacks)
    assert engine.learn(raw, spam=True) is True  # rspamd had never seen it
