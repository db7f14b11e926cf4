"""A short load from Postfix's smtp-source against HopThu's MX: every message accepted is
delivered, once. The figure is printed (docs/performance.md), never asserted."""
import re
import subprocess
import time

import pytest

from mailcore.delivery.models import QueueRecipient

pytestmark = pytest.mark.slow

SESSIONS, MESSAGES, LENGTH = 5, 200, 4096
DEADLINE_SECONDS = 60


def test_smtp_source_load_is_accepted_and_delivered_in_full(alice, hopthu, inbox, capsys):
    command = ["/usr/sbin/smtp-source", "-s", str(SESSIONS), "-m", str(MESSAGES), "-l", str(LENGTH),
               "-M", "load.sender.example", "-f", "erin@sender.example", "-t", "alice@example.test",
               f"127.0.0.1:{hopthu.ports['smtp']}"]
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, timeout=DEADLINE_SECONDS, check=False)
    accepted_at = time.perf_counter()
    # smtp-source exits non-zero and names the reply on any refusal.
    assert result.returncode == 0, result.stdout + result.stderr
    messages = inbox("alice@example.test", count=MESSAGES, timeout=DEADLINE_SECONDS)
    delivered_at = time.perf_counter()
    assert len(messages) == MESSAGES  # none lost, none twice
    assert QueueRecipient.objects.filter(status="delivered").count() == MESSAGES
    body = messages[0].get_payload()  # -l: the body's length, line ends counted
    assert abs(len(body) - LENGTH) < 100 and re.fullmatch(r"(\d*X+\r?\n)+", body)
    assert {message["From"].addresses[0].addr_spec for message in messages} == {"erin@sender.example"}
    accepted, delivered = accepted_at - started, delivered_at - started
    with capsys.disabled():
        print(f"\nsmtp-source -s {SESSIONS} -m {MESSAGES} -l {LENGTH}: accepted {MESSAGES / accepted:.0f} "
              f"messages/s ({accepted:.2f} s), in the INBOX {MESSAGES / delivered:.0f} messages/s ({delivered:.2f} s)")
