"""The delivery process's entry point (see process.py).

Spawned children import this module before Django is set up, so it imports nothing of
Django or of the models at module level.
"""
import logging
import os

log = logging.getLogger(__name__)
BATCH = 100


def child_main(wake, quit_, parent_pid, overrides):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.conf import settings as child_settings

    django.setup()
    child_settings.DATABASES["default"]["NAME"] = overrides.pop("DATABASE_NAME")
    for name, value in overrides.items():
        setattr(child_settings, name, value)
    from mailcore.delivery.local import deliver_due_local

    sweep = float(child_settings.HOPTHU_DELIVERY_SWEEP_SECONDS)
    while not quit_.is_set() and os.getppid() == parent_pid:  # a dead host reparents us
        wake.clear()  # before delivering: a wake during the round is kept
        try:
            while deliver_due_local(BATCH) == BATCH and not quit_.is_set():
                pass
        except Exception:
            log.exception("local delivery failed; retrying shortly")
        wake.wait(min(sweep, 1.0))  # at least every second: notice a dead host
