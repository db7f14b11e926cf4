"""`bench smtp-source` runs Postfix's smtp-source against the MX end to end: every message
is accepted and delivered, the figures are printed, and the bench leaves nothing behind."""
import re

import pytest
from django.core.management import call_command

from mailcore.directory.models import Domain
from mailcore.store.models import Blob, Message

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_bench_smtp_source_delivers_everything_and_cleans_up(capsys, monkeypatch):
    from mailcore.bench import smtp_source

    figures = {}
    real_run = smtp_source.run

    def run_and_keep(*args, **kwargs):
        figures.update(real_run(*args, **kwargs))
        return figures

    monkeypatch.setattr(smtp_source, "run", run_and_keep)
    call_command("bench", "smtp-source", "-s", "3", "-m", "30", "-l", "2000", "--reuse")
    out = capsys.readouterr().out
    assert re.search(r"smtp-source -d -s 3 -m 30 -l 2000 ", out)
    assert re.search(r"accepted: [\d,]+ messages/s \(30 in [\d.]+ s\)", out)
    assert re.search(r"delivered to the mailbox: [\d,]+ messages/s \(30 in", out)
    assert figures["accepted"] == figures["delivered"] == 30
    assert not Domain.objects.filter(name__startswith="bench-").exists()
    assert Message.objects.count() == 0 and Blob.objects.count() == 0
