"""Learning is forwarded to rspamd's controller (Bayes kept in SQLite by the test rspamd), with
the controller password; rspamd's refusals that are not errors come back as False."""
import secrets
import time

import pytest

from mailcore.filters import rspamd as engine
from mailcore.filters.types import ScannerUnavailable
from tests.support.services_filters import rspamd  # noqa: F401

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def _use_rspamd(settings, rspamd):  # noqa: F811
    settings.HOPTHU_RSPAMD_URL = rspamd.url
    settings.HOPTHU_RSPAMD_CONTROLLER_URL = rspamd.controller_url
    settings.HOPTHU_RSPAMD_PASSWORD = rspamd.password


def newsletter() -> bytes:
    """A message rspamd has not seen (its Bayes remembers learned digests for the whole run)."""
    token = secrets.token_hex(6)
    body = " ".join(["Exclusive offer on replica watches and cheap pharmacy pills, order today",
                     f"reference {token}, unsubscribe anytime, best prices guaranteed online"] * 3)
    return (f"From: deals@example.net\r\nTo: alice@example.test\r\nSubject: Offer {token}\r\n"
            f"Message-ID: <{token}@example.net>\r\n\r\n{body}\r\n").encode()


def test_learning_spam_is_accepted_once():
    raw = newsletter()

    assert engine.learn(raw, spam=True) is True
    # rspamd records the learned digest some time after it answers (asynchronously), so a
    # repeat can still be learned once more; within a few seconds it must be declined.
    deadline = time.monotonic() + 5
    while engine.learn(raw, spam=True) is not False:  # already learned as spam
        assert time.monotonic() < deadline, "rspamd kept learning the same message"
        time.sleep(0.5)


def test_a_message_learned_as_spam_can_be_relearned_as_ham():
    raw = newsletter()
    engine.learn(raw, spam=True)

    assert engine.learn(raw, spam=False) is True


def test_a_message_too_short_to_learn_is_declined_not_an_error():
    assert engine.learn(b"From: a@example.net\r\nSubject: hi\r\n\r\nhi\r\n", spam=True) is False


def test_a_wrong_controller_password_is_a_clear_error(settings):
    settings.HOPTHU_RSPAMD_PASSWORD = "not-the-password"

    with pytest.raises(ScannerUnavailable, match=r"answered 40[13]: Unauthorized"):
        engine.learn(newsletter(), spam=True)


def test_without_a_controller_nothing_is_forwarded(settings):
    settings.HOPTHU_RSPAMD_CONTROLLER_URL = ""

    assert engine.learn(newsletter(), spam=True) is False


def test_what_rspamd_learned_shows_in_its_next_verdict():
    for _ in range(3):
        engine.learn(newsletter(), spam=True)
        engine.learn(letter(), spam=False)

    # Learning is written asynchronously by the controller and read by the scanning worker:
    # the verdict shows it within a few seconds, not necessarily at once.
    deadline = time.monotonic() + 10
    while True:
        result = engine.check(newsletter(), mail_from="deals@example.net", recipients=["alice@example.test"])
        rules = {finding.rule for finding in result.findings}
        if "BAYES_SPAM" in rules or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert "BAYES_SPAM" in rules


def letter() -> bytes:
    token = secrets.token_hex(6)
    body = " ".join(["Dear Alice, the minutes of Tuesday's board meeting are below, together",
                     f"with the budget figures for item {token}; please send corrections by Friday"] * 3)
    return (f"From: carol@example.org\r\nTo: alice@example.test\r\nSubject: Minutes {token}\r\n"
            f"Message-ID: <{token}@example.org>\r\n\r\n{body}\r\n").encode()
