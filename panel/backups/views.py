"""The backups page: the last backups made (scheduled or by hand), how each ended, and the
schedule and retention in force. Superadmins only: an archive holds every domain's mail."""
from django.conf import settings
from django.shortcuts import render

from mailcore.backup.models import BackupRun

from ..access import superadmin_required

SHOWN = 50


@superadmin_required
def backup_list(request):
    runs = BackupRun.objects.all()[:SHOWN]
    schedule = {"directory": settings.HOPTHU_BACKUP_DIR, "encrypted": bool(settings.HOPTHU_BACKUP_KEY),
                "keep_daily": settings.HOPTHU_BACKUP_KEEP_DAILY, "keep_weekly": settings.HOPTHU_BACKUP_KEEP_WEEKLY}
    return render(request, "panel/backups/list.html", {"runs": runs, "schedule": schedule})
