"""Run the mail core (listeners and heartbeat) alone in the foreground, for debugging.

The same MailcoreHost a `celery -A config worker --mailcore` runs, without the worker:
no tasks are executed. SIGINT (Ctrl-C) or SIGTERM stops it cleanly.
"""
import signal
import threading

from django.core.management.base import BaseCommand

from mailcore.service.host import MailcoreHost


class Command(BaseCommand):
    help = "Run the mail listeners in the foreground until SIGINT or SIGTERM."

    def handle(self, *args, **options):
        stop = threading.Event()
        received = []

        def on_signal(signum, frame):
            received.append(signal.Signals(signum).name)
            stop.set()

        previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
        host = MailcoreHost()
        try:
            host.start()
            listeners = ", ".join(f"{li.info.get('name')}:{li.info.get('port')}" for li in host.listeners)
            self.stdout.write(f"Mail core {host.node} running; listeners: {listeners or 'none yet'}. "
                              "Ctrl-C stops it.")
            self.stdout.flush()
            while not stop.wait(1):
                if not host.running:
                    self.stderr.write("The mail core loop ended unexpectedly.")
                    raise SystemExit(1)
        finally:
            host.stop()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        self.stdout.write(f"Stopped on {received[0]}.")
