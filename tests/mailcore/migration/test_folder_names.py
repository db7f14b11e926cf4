"""Folder names arrive as people wrote them: RFC 3501 §5.1.3 modified UTF-7 decoded, the
old hierarchy delimiter "." turned into "/" (RFC 9051 §5.1.1)."""
from datetime import datetime

import pytest

from mailcore.migration.jobs import create_job, report, run_job
from mailcore.migration.models import MigrationJob
from mailcore.store.models import Folder, Message

from .conftest import ICT, seed

pytestmark = pytest.mark.slow

WHEN = datetime(2024, 5, 6, tzinfo=ICT)


def test_unicode_nested_folders_keep_their_names(dovecot, transactional_db, alice):
    login = list(dovecot.users)[2]
    seed(dovecot, login, {"Dự án": [("Top", "top@old.test", [], WHEN)],
                          "Dự án.Hóa đơn 2024": [("Nested", "nested@old.test", ["$Label1"], WHEN)]})
    job = create_job(host=dovecot.host, port=dovecot.port, security=MigrationJob.PLAIN,
                     accounts=[(login, dovecot.users[login], alice)], dispatch=False)
    run_job(job.pk)
    [row] = report(job)
    assert (row["state"], row["copied"]) == ("done", 2)
    nested = Folder.objects.get(account=alice, name="Dự án/Hóa đơn 2024")
    assert list(Message.objects.filter(folder=nested).values_list("subject", "keywords")) == [
        ("Nested", ["$Label1"])]
    assert Folder.objects.filter(account=alice, name="Dự án").exists()
