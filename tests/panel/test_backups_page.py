"""The backups page: the last backups with their size, status and errors, and the schedule
in force; superadmins only (an archive holds every domain's mail); in Vietnamese too."""
import pytest
from django.urls import reverse
from django.utils import timezone

from mailcore.backup.models import BackupRun
from tests.test_translations import compiled_messages  # noqa: F401 (the .mo files, compiled)


@pytest.fixture
def runs(db):
    now = timezone.now()
    BackupRun.objects.create(scope="full", trigger=BackupRun.Trigger.SCHEDULE, status=BackupRun.Status.OK,
                             finished=now, path="/srv/backups/hopthu-full-1.tar.gz.enc", size=5 * 1024**2,
                             encrypted=True, counts={"messages": 1234})
    BackupRun.objects.create(scope="full", trigger=BackupRun.Trigger.SCHEDULE, status=BackupRun.Status.FAILED,
                             finished=now, error="No space left on device")
    BackupRun.objects.create(scope="account:alice@example.test", status=BackupRun.Status.RUNNING,
                             progress="bodies (1000 of 5000)")


def test_it_shows_each_backup_with_size_status_and_error(super_client, runs, settings):
    settings.HOPTHU_BACKUP_KEY = ""
    page = super_client.get(reverse("panel:backups")).content.decode()
    assert "hopthu-full-1.tar.gz.enc" in page and "5.0\xa0MB" in page and "1234" in page
    assert "No space left on device" in page and "status-bad" in page
    assert "bodies (1000 of 5000)" in page and "account:alice@example.test" in page
    assert "Archives are not encrypted" in page


def test_a_domain_admin_cannot_see_it(owner_client, runs):
    assert owner_client.get(reverse("panel:backups")).status_code in (403, 404)


def test_it_says_nothing_was_made_yet(super_client):
    assert "No backup has been made yet" in super_client.get(reverse("panel:backups")).content.decode()


@pytest.mark.usefixtures("compiled_messages")
def test_it_speaks_vietnamese(super_client, runs, settings):
    settings.HOPTHU_BACKUP_KEY = "k"
    super_client.cookies["django_language"] = "vi"
    page = super_client.get(reverse("panel:backups")).content.decode()
    assert "Sao lưu" in page and "Thất bại" in page and "Khởi tạo bởi" in page
    assert "Các bản sao lưu được mã hóa bằng HOPTHU_BACKUP_KEY" in page
