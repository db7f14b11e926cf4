"""The Celery app. `celery -A config worker --mailcore` also hosts the mail listeners."""
import os

from celery import Celery
from celery.bin import worker as _worker_cli  # noqa: F401 (registers the worker command)
from click import Option

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("hopthu")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["mailcore.service", "mailcore.store", "mailcore.delivery", "mailcore.smtp",
                       "mailcore.dkim", "mailcore.dnsguide", "mailcore.audit", "mailcore.filters", "mailcore.auth",
                        "mailcore.ldap", "mailcore.migration", "mailcore.backup", "mailcore.reports",
                        "mailcore.sending_alerts"])

app.user_options["worker"].add(
    Option(
        ["--mailcore"],
        is_flag=True,
        default=False,
        help="Run HopThu's mail listeners (SMTP, IMAP, POP3) inside this worker.",
    )
)


def _install_mailcore_step():
    from mailcore.service.bootstep import MailcoreStep

    app.steps["worker"].add(MailcoreStep)


_install_mailcore_step()
