"""`bench imap`: concurrent IMAP clients on 5,000-message mailboxes, and idle connections.

The mail core's IMAP listener runs in this process on a free loopback port; clients
(imaplib, in threads of a separate process, so they don't share this interpreter's lock)
each repeat a mix of SELECT, FETCH of envelope ranges, UID FETCH of a body, STORE,
SEARCH, APPEND and IDLE. Then one client times SORTs and THREADs of a whole folder on
the quiet server (not in the mix, whose figures the IMAP issue's targets are about), and
a second process opens idle IDLE connections and the growth of this process's memory is
measured.

Logins use a cheap password hasher during the bench (as the tests do): the verified-
credential cache that makes repeated logins cheap in production is not built yet, and
a thousand PBKDF2 checks would measure hashing, not IMAP.
"""
import imaplib
import multiprocessing
import os
import random
import resource
import secrets
import socket
import statistics
import threading
import time
from collections import defaultdict

from django.conf import settings
from django.db import connections

from mailcore.directory.services import create_account, create_domain, remove_domain
from mailcore.service.host import MailcoreHost
from mailcore.store.append import Target, append_batch
from mailcore.store.gc import collect_garbage

from .corpus import make_message

PASSWORD = "bench password " + "x" * 8
WORDS = ("invoice", "meeting", "report", "hoa", "lunch")


def _fill(account_pk: int, count: int, seed: int):
    rng = random.Random(seed)
    corpus = [make_message(rng, i, "bench@example.test") for i in range(min(count, 500))]
    for start in range(0, count, 200):
        batch = [(corpus[i % len(corpus)].replace(b"Subject: ", f"Subject: {i} ".encode(), 1),
                  [Target(account_pk)]) for i in range(start, min(start + 200, count))]
        append_batch(batch)


def _client(port, user, seconds, seed, results):
    import imaplib

    rng = random.Random(seed)
    timings = defaultdict(list)
    envelopes = 0
    client = imaplib.IMAP4("127.0.0.1", port, timeout=60)
    client.login(user, PASSWORD)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.perf_counter()
        _typ, data = client.select("INBOX")
        timings["SELECT"].append(time.perf_counter() - started)
        total = int(data[0])
        for _ in range(5):
            first = rng.randint(1, max(total - 49, 1))
            started = time.perf_counter()
            _typ, data = client.fetch(f"{first}:{first + 49}", "(UID FLAGS ENVELOPE)")
            timings["FETCH 50 envelopes"].append(time.perf_counter() - started)
            envelopes += len(data)
        some = str(rng.randint(1, total))
        for name, call in (
            ("UID FETCH body", lambda some=some: client.uid("FETCH", some, "(BODY.PEEK[])")),
            ("STORE", lambda some=some: client.store(some, "+FLAGS", "(\\Flagged)")),
            ("SEARCH", lambda: client.search(None, "SUBJECT", rng.choice(WORDS))),
            ("APPEND", lambda: client.append("Drafts", None, None, b"Subject: draft\r\n\r\nbench\r\n")),
            ("IDLE (start and DONE)", lambda: _idle(client)),
        ):
            started = time.perf_counter()
            call()
            timings[name].append(time.perf_counter() - started)
    client.logout()
    results.put((dict(timings), envelopes))


SORTS = ("(REVERSE DATE)", "(SUBJECT)", "(FROM DATE)")
THREADS = ("REFERENCES", "ORDEREDSUBJECT")


def _whole_folder_timings(port, user, command, argument, times=10) -> list[float]:
    """Seconds for each of `times` SORTs (argument: the criteria) or THREADs (the
    algorithm) of the whole INBOX."""
    client = imaplib.IMAP4("127.0.0.1", port, timeout=600)
    client.login(user, PASSWORD)
    client.select("INBOX", readonly=True)
    timings = []
    for _ in range(times):
        started = time.perf_counter()
        typ, data = getattr(client, command.lower())(argument, "UTF-8", "ALL")
        timings.append(time.perf_counter() - started)
        assert typ == "OK", data
    client.logout()
    return timings


def _idle(client):
    tag = client._new_tag()
    client.send(tag + b" IDLE\r\n")
    client.readline()  # "+ idling"
    client.send(b"DONE\r\n")
    while not client.readline().startswith(tag):
        pass


def _clients_process(port, users, seconds, results):
    threads = [threading.Thread(target=_client, args=(port, user, seconds, i, results)) for i, user in
               enumerate(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _idlers_process(port, user, count, ready, release):
    """Open `count` connections, log in, IDLE on INBOX, and hold them until released."""
    sockets = []
    for _ in range(count):
        sock = socket.create_connection(("127.0.0.1", port), timeout=60)
        reader = sock.makefile("rb")
        reader.readline()
        sock.sendall(f'a LOGIN {user} "{PASSWORD}"\r\nb SELECT INBOX\r\nc IDLE\r\n'.encode())
        while not reader.readline().startswith(b"+ "):
            pass
        sockets.append((sock, reader))
    ready.set()
    release.wait(600)
    for sock, _reader in sockets:
        sock.close()


def _rss_bytes(pids=("self",)) -> int:
    total = 0
    for pid in pids:
        with open(f"/proc/{pid}/statm") as statm:
            total += int(statm.read().split()[1]) * 4096
    return total


def _cpu_seconds(pids) -> float:
    """CPU time (user + system) of this process and the worker processes."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    total = usage.ru_utime + usage.ru_stime
    for pid in pids:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rpartition(")")[2].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def _worker_pids(host) -> list:
    return [pid for listener in host.listeners for pid in listener.info.get("pids", ())]


def _percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def run(clients: int, messages: int, seconds: float, idle: int, out, mailboxes: int = 4) -> dict:
    from mailcore.imap.listeners import FACTORIES, WORKERS

    saved = (settings.HOPTHU_PORTS, settings.HOPTHU_LISTEN_ADDRESS, settings.PASSWORD_HASHERS,
             settings.HOPTHU_MAX_CONNECTIONS_PER_IP)
    settings.HOPTHU_PORTS = {**saved[0], "imap": 0, "imaps": 0}
    settings.HOPTHU_MAX_CONNECTIONS_PER_IP = 0  # every bench connection comes from 127.0.0.1
    settings.HOPTHU_LISTEN_ADDRESS = "127.0.0.1"  # the bench's own listener: loopback only
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    domain = f"bench-{secrets.token_hex(4)}.test"
    create_domain(domain, default_quota=0)
    users = []
    host = None
    try:
        mailboxes = max(1, min(mailboxes, clients))
        out.write(f"filling {mailboxes} mailbox(es) of {messages} messages ...\n")
        for index in range(mailboxes):
            account = create_account(f"bench{index}@{domain}", PASSWORD)
            _fill(account.pk, messages, index)
            users.append(account.user.username)
        # The IMAP port as the mail core serves it: HOPTHU_IMAP_PROCESSES processes.
        host = MailcoreHost(factories=[FACTORIES[0], WORKERS], heartbeat_seconds=60)
        host.start()
        port = host.listeners[0].info["port"]
        workers = _worker_pids(host)
        connections.close_all()
        context = multiprocessing.get_context("fork")
        results = context.Queue()
        assigned = [users[i % len(users)] for i in range(clients)]
        out.write(f"{clients} clients for {seconds:.0f} s on 127.0.0.1:{port} "
                  f"({1 + len(workers)} server process(es)) ...\n")
        process = context.Process(target=_clients_process, args=(port, assigned, seconds, results))
        cpu_before = _cpu_seconds(workers)
        started = time.perf_counter()
        process.start()
        timings, envelopes = defaultdict(list), 0
        for _ in range(clients):
            client_timings, client_envelopes = results.get(timeout=seconds + 300)
            envelopes += client_envelopes
            for name, values in client_timings.items():
                timings[name].extend(values)
        elapsed = time.perf_counter() - started
        cpu = _cpu_seconds(workers) - cpu_before
        process.join()
        commands = sum(len(values) for values in timings.values())
        out.write(f"server CPU: {cpu / max(commands, 1) * 1000:.2f} ms per command "
                  f"({cpu / elapsed * 100:.0f}% of one core)\n")
        figures = {"envelopes_per_second": envelopes / elapsed}
        out.write(f"FETCH envelopes: {envelopes / elapsed:,.0f} envelopes/s\n")
        for name, values in timings.items():
            p95 = _percentile(values, 0.95) * 1000
            figures[f"{name} p95 ms"] = p95
            p50 = statistics.median(values) * 1000
            out.write(f"{name}: {len(values) / elapsed:,.1f} commands/s, p50 {p50:.1f} ms, p95 {p95:.1f} ms\n")
        for command, argument in [("SORT", criteria) for criteria in SORTS] + [("THREAD", a) for a in THREADS]:
            values = _whole_folder_timings(port, users[0], command, argument)
            figures[f"{command} {argument} p95 ms"] = _percentile(values, 0.95) * 1000
            out.write(f"{command} {argument} of {messages:,} messages: p50 {statistics.median(values) * 1000:.1f} ms, "
                      f"p95 {_percentile(values, 0.95) * 1000:.1f} ms\n")
        if idle:
            before = _rss_bytes(["self", *workers])
            ready, release = context.Event(), context.Event()
            idlers = context.Process(target=_idlers_process, args=(port, users[0], idle, ready, release))
            idlers.start()
            ready.wait(600)
            time.sleep(1)
            grown = _rss_bytes(["self", *workers]) - before
            release.set()
            idlers.join(60)
            figures["idle_memory_mb"] = grown / 1e6
            out.write(f"{idle} IDLE connections: {grown / 1e6:,.1f} MB more memory in the server "
                      f"({grown / idle / 1024:,.1f} KB each)\n")
        return figures
    finally:
        if host is not None:
            host.stop()
        (settings.HOPTHU_PORTS, settings.HOPTHU_LISTEN_ADDRESS, settings.PASSWORD_HASHERS,
         settings.HOPTHU_MAX_CONNECTIONS_PER_IP) = saved
        remove_domain(domain, remove_accounts=True)
        collect_garbage(grace_seconds=0)
