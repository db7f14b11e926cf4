"""`bench smtp`: messages over concurrent connections to the MX port, delivered locally.

The mail core runs in this process (listeners, group commit, local delivery) on a free
loopback port; the senders are smtplib clients in a separate process, so they don't
share the server's interpreter lock. Every 250 is durable (see delivery/queue.py).
"""
import multiprocessing
import random
import re
import resource
import secrets
import smtplib
import statistics
import threading
import time

from django.conf import settings
from django.db import connections

from mailcore.delivery.models import QueuedMessage, QueueRecipient
from mailcore.delivery.runner import start_local_delivery_default
from mailcore.directory.services import create_account, create_domain, remove_domain
from mailcore.service.host import MailcoreHost
from mailcore.store.gc import collect_garbage

from .corpus import DOMAINS as SENDER_DOMAINS
from .corpus import make_message
from .dns_stub import StubDNSServer

_FROM_DOMAIN = re.compile(rb"^From:[^\r\n]*@([^>\s]+)>", re.MULTILINE)


def _envelope_sender(raw: bytes) -> str:
    """A bounce address at the From domain, so that SPF aligns with it (DMARC passes)."""
    match = _FROM_DOMAIN.search(raw)
    return f"bounces@{match.group(1).decode()}" if match else "bounces@example.net"


def _client_process(port, messages, connections_count, recipient, results):
    """Send messages over `connections_count` connections; report DATA latencies."""
    latencies, failures = [], []
    lock = threading.Lock()
    chunks = [messages[i::connections_count] for i in range(connections_count)]

    def run(chunk):
        with smtplib.SMTP("127.0.0.1", port, timeout=60) as client:
            client.ehlo("bench.example.net")
            for raw in chunk:
                started = time.perf_counter()
                try:
                    client.sendmail(_envelope_sender(raw), [recipient], raw)
                except smtplib.SMTPException as error:
                    with lock:
                        failures.append(str(error))
                    continue
                with lock:
                    latencies.append(time.perf_counter() - started)

    threads = [threading.Thread(target=run, args=(chunk,)) for chunk in chunks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results.put((latencies, failures))


def _messages(count, recipient, seed):
    rng = random.Random(seed)
    corpus = [make_message(rng, i, recipient) for i in range(min(count, 500))]
    # About 4 KB each: the corpus' plain and alternative messages, trimmed of attachments.
    corpus = [raw for raw in corpus if 3000 < len(raw) < 7000] or corpus
    # SMTP clients send CRLF lines (the corpus has bare-LF messages for the store's sake).
    corpus = [raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n") for raw in corpus]
    return [corpus[i % len(corpus)].replace(b"Subject: ", f"Subject: {i} ".encode(), 1) for i in range(count)]


def run(count: int, concurrency: int, out, seed: int = 1) -> dict:
    domain = f"bench-{secrets.token_hex(4)}.test"
    create_domain(domain, default_quota=0)
    recipient = f"bench@{domain}"
    create_account(recipient, secrets.token_urlsafe(16))
    from mailcore.smtp.listeners import listener_factory

    saved = settings.HOPTHU_PORTS, settings.HOPTHU_LISTEN_ADDRESS, settings.HOPTHU_DNS_SERVERS
    settings.HOPTHU_PORTS = {**saved[0], "smtp": 0}
    settings.HOPTHU_LISTEN_ADDRESS = "127.0.0.1"  # the bench's own listener: loopback only
    # The inbound checks ask DNS about every sender: a local stub answers at once, so the
    # figure is HopThu's, not the network's (dns_stub.py).
    dns = StubDNSServer().start()
    settings.HOPTHU_DNS_SERVERS = dns.address
    # The senders' domains publish what most do today: an SPF record that passes the
    # client and a DMARC policy (answered from the cache after the first message, for
    # their TTL, as a busy MX sees them). Messages are not DKIM-signed.
    for sender_domain in SENDER_DOMAINS:
        dns.add_txt(sender_domain, "v=spf1 ip4:127.0.0.0/8 -all")
        dns.add_txt(f"_dmarc.{sender_domain}", f"v=DMARC1; p=quarantine; rua=mailto:dmarc@{sender_domain}")
    host = MailcoreHost(factories=[listener_factory("smtp", "smtp", "mx", False), start_local_delivery_default],
                        heartbeat_seconds=60)
    try:
        host.start()
        port = host.listeners[0].info["port"]
        messages = _messages(count, recipient, seed)
        size = sum(len(m) for m in messages) / len(messages)
        out.write(f"sending {count} messages of {size / 1024:.1f} KB on average over {concurrency} connections "
                  f"to 127.0.0.1:{port} ...\n")
        connections.close_all()
        results = multiprocessing.get_context("fork").Queue()
        client = multiprocessing.get_context("fork").Process(
            target=_client_process, args=(port, messages, concurrency, recipient, results))
        cpu_before = resource.getrusage(resource.RUSAGE_SELF)
        started = time.perf_counter()
        client.start()
        latencies, failures = results.get()
        accepted_at = time.perf_counter()
        client.join()
        queued = QueuedMessage.objects.filter(recipients__address=recipient)
        while QueueRecipient.objects.filter(message__in=queued, status=QueueRecipient.Status.QUEUED).exists():
            time.sleep(0.05)
        delivered_at = time.perf_counter()
        cpu_after = resource.getrusage(resource.RUSAGE_SELF)
        cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
        accepted = len(latencies)
        if failures:
            out.write(f"first refusal: {failures[0]}\n")
        delivered = QueueRecipient.objects.filter(message__in=queued, status=QueueRecipient.Status.DELIVERED).count()
        if len(latencies) < 2:
            raise RuntimeError(f"only {len(latencies)} messages were accepted")
        p95 = statistics.quantiles(latencies, n=20)[-1] * 1000
        out.write(f"accepted: {accepted / (accepted_at - started):,.0f} messages/s ({accepted} in "
                  f"{accepted_at - started:.1f} s; {len(failures)} refused)\n")
        out.write(f"delivered to the mailbox: {delivered / (delivered_at - started):,.0f} messages/s "
                  f"({delivered} in {delivered_at - started:.1f} s)\n")
        out.write(f"listener process CPU: {cpu / max(delivered, 1) * 1000:.2f} ms per message "
                  f"({cpu / (delivered_at - started) * 100:.0f}% of one core; user "
                  f"{(cpu_after.ru_utime - cpu_before.ru_utime) / max(delivered, 1) * 1000:.2f} ms, system "
                  f"{(cpu_after.ru_stime - cpu_before.ru_stime) / max(delivered, 1) * 1000:.2f} ms)\n")
        out.write(f"DATA latency: p50 {statistics.median(latencies) * 1000:.1f} ms, p95 {p95:.1f} ms\n")
        return {"accepted_per_second": accepted / (accepted_at - started),
                "delivered_per_second": delivered / (delivered_at - started),
                "accepted": accepted, "delivered": delivered, "refused": len(failures), "data_p95_ms": p95}
    finally:
        host.stop()
        settings.HOPTHU_PORTS, settings.HOPTHU_LISTEN_ADDRESS, settings.HOPTHU_DNS_SERVERS = saved
        dns.stop()
        QueuedMessage.objects.filter(recipients__address=recipient).delete()
        remove_domain(domain, remove_accounts=True)
        collect_garbage(grace_seconds=0)
