"""`bench smtp-source`: Postfix's own load generator (Debian's postfix package) against the MX.

The mail core's MX listener and local delivery run in this process on a free loopback
port, with a throwaway domain and account, as in `bench smtp`; the client is not ours but
`smtp-source`, the tool Postfix's authors load-test MTAs with: `-s` parallel sessions,
`-m` messages of `-l` octets, by default a new connection per message (`--reuse`: one
connection per session). Prints messages accepted and delivered per second.
"""
import secrets
import shutil
import subprocess
import time

from django.conf import settings
from django.db import connections

from mailcore.delivery.models import QueuedMessage, QueueRecipient
from mailcore.delivery.runner import start_local_delivery_default
from mailcore.directory.services import create_account, create_domain, remove_domain
from mailcore.service.host import MailcoreHost
from mailcore.store.gc import collect_garbage

from .dns_stub import StubDNSServer

SMTP_SOURCE = "/usr/sbin/smtp-source"


def run(sessions: int, messages: int, length: int, out, reuse: bool = False) -> dict:
    binary = shutil.which("smtp-source") or SMTP_SOURCE
    domain = f"bench-{secrets.token_hex(4)}.test"
    create_domain(domain, default_quota=0)
    recipient = f"bench@{domain}"
    create_account(recipient, secrets.token_urlsafe(16))
    from mailcore.smtp.listeners import listener_factory

    saved = settings.HOPTHU_PORTS, settings.HOPTHU_LISTEN_ADDRESS, settings.HOPTHU_DNS_SERVERS
    settings.HOPTHU_PORTS = {**saved[0], "smtp": 0}
    settings.HOPTHU_LISTEN_ADDRESS = "127.0.0.1"  # the bench's own listener: loopback only
    dns = StubDNSServer().start()  # the inbound checks' lookups end at once (NXDOMAIN)
    settings.HOPTHU_DNS_SERVERS = dns.address
    host = MailcoreHost(factories=[listener_factory("smtp", "smtp", "mx", False), start_local_delivery_default],
                        heartbeat_seconds=60)
    try:
        host.start()
        port = host.listeners[0].info["port"]
        command = [binary, *(["-d"] if reuse else []), "-s", str(sessions), "-m", str(messages), "-l", str(length),
                   "-M", "bench.sender.example", "-f", "sender@sender.example", "-t", recipient,
                   f"127.0.0.1:{port}"]
        out.write(f"{' '.join(command)}\n")
        connections.close_all()
        started = time.perf_counter()
        # The command is ours: the installed binary and numbers from argparse.
        result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
        accepted_at = time.perf_counter()
        if result.returncode != 0:
            raise RuntimeError(f"smtp-source failed: {result.stdout}{result.stderr}")
        queued = QueuedMessage.objects.filter(recipients__address=recipient)
        while QueueRecipient.objects.filter(message__in=queued, status=QueueRecipient.Status.QUEUED).exists():
            time.sleep(0.05)
        delivered_at = time.perf_counter()
        delivered = QueueRecipient.objects.filter(message__in=queued, status=QueueRecipient.Status.DELIVERED).count()
        accepted = queued.count()
        out.write(f"accepted: {accepted / (accepted_at - started):,.0f} messages/s ({accepted} in "
                  f"{accepted_at - started:.1f} s)\n")
        out.write(f"delivered to the mailbox: {delivered / (delivered_at - started):,.0f} messages/s "
                  f"({delivered} in {delivered_at - started:.1f} s)\n")
        return {"accepted_per_second": accepted / (accepted_at - started),
                "delivered_per_second": delivered / (delivered_at - started),
                "accepted": accepted, "delivered": delivered}
    finally:
        host.stop()
        settings.HOPTHU_PORTS, settings.HOPTHU_LISTEN_ADDRESS, settings.HOPTHU_DNS_SERVERS = saved
        dns.stop()
        QueuedMessage.objects.filter(recipients__address=recipient).delete()
        remove_domain(domain, remove_accounts=True)
        collect_garbage(grace_seconds=0)
