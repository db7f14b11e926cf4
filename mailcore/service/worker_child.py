"""The entry point of a listener worker process (see workers.py).

Spawned children import this module before Django is set up, so it imports nothing of
Django or of the models at module level.
"""
import importlib
import logging
import os

log = logging.getLogger(__name__)


def worker_main(factories_path: str, ports: dict, overrides: dict, parent_pid: int, stop_pipe, ready) -> None:
    """Serve until the host closes its end of stop_pipe (or dies)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.conf import settings

    django.setup()
    settings.DATABASES["default"]["NAME"] = overrides.pop("DATABASE_NAME")
    for name, value in overrides.items():
        setattr(settings, name, value)
    settings.HOPTHU_PORTS = {**settings.HOPTHU_PORTS, **ports}  # the ports the host bound
    from mailcore.service.host import MailcoreHost

    module, _sep, attribute = factories_path.partition(":")
    factories = getattr(importlib.import_module(module), attribute)
    host = MailcoreHost(factories=factories, heartbeat=False)
    host.start()
    ready.set()
    try:
        # A pipe, not a shared Event: a worker killed while waiting on an Event would leave
        # its lock taken, and the host's set() would then hang.
        while not stop_pipe.poll(1.0) and os.getppid() == parent_pid:  # a dead host reparents us
            pass
    finally:
        host.stop()
