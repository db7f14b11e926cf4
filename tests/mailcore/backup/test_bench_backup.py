"""`bench backup` runs end to end: figures printed, every message restored, nothing left behind."""
import re

import pytest
from django.core.management import call_command

from mailcore.directory.models import Domain
from mailcore.store.models import Blob, Message


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("encrypt", [[], ["--encrypt"]])
def test_bench_backup_archives_verifies_restores_and_cleans_up(capsys, encrypt):
    call_command("bench", "backup", "-n", "30", *encrypt)
    out = capsys.readouterr().out
    assert re.search(r"backup create --account \(30 messages.*\): [\d.]+ s, [\d,]+ messages/s, archive", out)
    assert re.search(r"backup verify: [\d.]+ s", out)
    assert "backup restore --account: 30 messages appended again" in out
    assert not Domain.objects.filter(name__startswith="bench-").exists()
    assert Message.objects.count() == 0 and Blob.objects.count() == 0
