"""Issue 20: two mail-core nodes over one PostgreSQL and one Redis, as real processes.

Node A listens on 127.0.0.2 and node B on 127.0.0.3 (the same ports: separate hosts),
each a `celery -A config worker --mailcore` (listeners and a task pool, as the Procfile's
worker) with its own var/ directory, sharing the database (with the message bodies:
HOPTHU_BLOB_STORE=postgres), the broker (Redis) and the DKIM keys' directory. Checked
with real clients: mail accepted over SMTP on A reaches an IMAP IDLE on B within a
second; outbound mail is delivered exactly once while both nodes' workers take tasks;
a kill -9 of node A under SMTP load loses no acknowledged message (node B delivers what
A had queued).
"""
import os
import secrets
import signal
import smtplib
import socket
import subprocess
import sys
import threading
import time
from email.message import EmailMessage

import psycopg
import pytest
from aiosmtpd.controller import Controller
from imapclient import IMAPClient

from tests.support.dns_server import StubDNSServer

pytestmark = pytest.mark.slow
NODES = {"a": "127.0.0.2", "b": "127.0.0.3"}
PASSWORD = "correct horse battery staple"
OUTBOUND = 20


@pytest.fixture(scope="module")
def postgres_database():
    """A fresh database on the test PostgreSQL server, dropped afterwards."""
    url = os.environ.get("HOPTHU_TEST_POSTGRES_URL")
    if not url:
        message = "the cluster test needs PostgreSQL: run it through scripts/test-services"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    name = f"hopthu_cluster_{secrets.token_hex(4)}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    yield url.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE {name} WITH (FORCE)")


class Counting:
    """The "remote" MX: counts each message it is given, by Message-ID."""

    def __init__(self):
        self.received: list[str] = []

    async def handle_DATA(self, server, session, envelope):
        for line in envelope.original_content.split(b"\r\n"):
            if line.lower().startswith(b"message-id:"):
                self.received.append(line.split(b":", 1)[1].strip().decode())
        return "250 2.0.0 Ok: queued"


class SinkController(Controller):
    def _trigger_server(self):
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


@pytest.fixture(scope="module")
def remote_mx():
    handler = Counting()
    controller = SinkController(handler, hostname="127.0.0.1", port=0, ready_timeout=5)
    controller.start()
    dns = StubDNSServer().start()
    dns.add("example.net", "MX", "10 mx1.example.net.")
    dns.add("mx1.example.net", "A", "127.0.0.1")
    yield handler, controller.port, dns.address
    controller.stop()
    dns.stop()


def _free_port() -> int:
    """A port free on both node addresses (each node binds its own loopback address)."""
    while True:
        with socket.socket() as first, socket.socket() as second:
            first.bind((NODES["a"], 0))
            port = first.getsockname()[1]
            try:
                second.bind((NODES["b"], port))
            except OSError:
                continue
            return port


class Cluster:
    def __init__(self, root, env, tmp):
        self.root, self.env, self.tmp = root, env, tmp
        self.nodes: dict[str, subprocess.Popen] = {}
        self.logs: dict[str, object] = {}

    def node_env(self, name):
        var_dir = self.tmp / f"var-{name}"
        var_dir.mkdir(exist_ok=True)
        return {**self.env, "HOPTHU_VAR_DIR": str(var_dir), "HOPTHU_LISTEN_ADDRESS": NODES[name]}

    def manage(self, *args, stdin=None):
        return subprocess.run([sys.executable, "manage.py", *args], cwd=self.root, env=self.node_env("a"),
                              input=stdin, text=True, capture_output=True, check=True, timeout=300)

    def start(self, name):
        log = open(self.tmp / f"node-{name}.log", "a")  # noqa: SIM115 (closed in stop)
        self.logs[name] = log
        self.nodes[name] = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--mailcore", "--loglevel", "INFO",
             "--concurrency", "1", "--without-heartbeat", "--without-gossip", "--without-mingle",
             "--hostname", f"node-{name}@%h"],
            cwd=self.root, env=self.node_env(name), start_new_session=True, stdout=log, stderr=subprocess.STDOUT)

    def heartbeats(self) -> dict[int, list]:
        with psycopg.connect(self.env["DATABASE_URL"]) as conn:
            return dict(conn.execute("SELECT pid, listeners FROM service_heartbeat").fetchall())

    def wait_ready(self, name, timeout=120):
        pid = self.nodes[name].pid
        deadline = time.monotonic() + timeout
        while pid not in self.heartbeats():
            if self.nodes[name].poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"node {name} did not start:\n{self.output(name)}")
            time.sleep(0.3)

    def output(self, name) -> str:
        return (self.tmp / f"node-{name}.log").read_text(errors="replace")

    def kill(self, name):
        """kill -9 of the node's whole process group: the machine is gone."""
        process = self.nodes[name]
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)

    def stop(self):
        for process in self.nodes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.nodes.values():
            try:
                process.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)
        for log in self.logs.values():
            log.close()

    def query(self, sql, *params):
        with psycopg.connect(self.env["DATABASE_URL"]) as conn:
            return conn.execute(sql, params).fetchall()


@pytest.fixture(scope="module")
def cluster(postgres_database, redis_url, remote_mx, tmp_path_factory):
    from tests.service.conftest import ROOT

    _handler, mx_port, dns_address = remote_mx
    tmp = tmp_path_factory.mktemp("cluster")
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "HOPTHU_BLOB_DIR",
                        "HOPTHU_TLS_CERT", "HOPTHU_TLS_KEY"} and not k.startswith("HOPTHU_PORT_")}
    env.update({
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": postgres_database,
        "CELERY_BROKER_URL": redis_url.rsplit("/", 1)[0] + "/2",
        "SECRET_KEY": secrets.token_hex(32),  # one secret for the whole cluster
        "HOPTHU_BLOB_STORE": "postgres",  # bodies in the database: no shared disk
        "HOPTHU_BLOB_DIR": str(tmp / "no-blobs-here"),
        "HOPTHU_DKIM_DIR": str(tmp / "shared-dkim"),
        "HOPTHU_HOSTNAME": "mail.example.test",
        "HOPTHU_HEARTBEAT_SECONDS": "1",
        "HOPTHU_IMAP_PROCESSES": "1",
        "HOPTHU_DELIVERY_PROCESS": "0",
        "HOPTHU_DELIVERY_SWEEP_SECONDS": "2",
        "HOPTHU_LOOPBACK_IS_SECURE": "1",
        "HOPTHU_DNS_SERVERS": dns_address,
        "HOPTHU_DNS_TIMEOUT": "2",
        "HOPTHU_OUTBOUND_PORT": str(mx_port),
        "HOPTHU_OUTBOUND_TLS": "may",
        "HOPTHU_DMARC_REJECT": "0",
        "PYTHONUNBUFFERED": "1",
    })
    for name in ("smtp", "submission", "submissions", "relay", "imap", "imaps", "pop3", "pop3s"):
        env[f"HOPTHU_PORT_{name.upper()}"] = str(_free_port())
    nodes = Cluster(ROOT, env, tmp)
    nodes.manage("migrate", "--noinput", "-v0")
    nodes.manage("mail", "domain", "add", "example.test")
    nodes.manage("mail", "account", "add", "alice@example.test", "--password-stdin", stdin=PASSWORD + "\n")
    try:
        for name in NODES:
            nodes.start(name)
        for name in NODES:
            nodes.wait_ready(name)
        yield nodes
    finally:
        nodes.stop()


def _mail(tag: str, sender="load@example.net", to="alice@example.test") -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = to
    mail["Subject"] = f"cluster {tag}"
    mail["Message-ID"] = f"<{tag}@cluster.example.net>"
    mail.set_content(f"message {tag}\n" + "x" * 2000)
    return mail


def test_mail_accepted_on_node_a_reaches_an_idle_on_node_b_within_a_second(cluster):
    port = int(cluster.env["HOPTHU_PORT_SMTP"])
    with IMAPClient(NODES["b"], port=int(cluster.env["HOPTHU_PORT_IMAP"]), ssl=False, timeout=10) as imap:
        imap.login("alice@example.test", PASSWORD)
        before = imap.select_folder("INBOX")[b"EXISTS"]
        imap.idle()
        time.sleep(1)  # IDLE is running on node B
        with smtplib.SMTP(NODES["a"], port, timeout=10) as smtp:
            smtp.send_message(_mail("idle-1"), "load@example.net", ["alice@example.test"])
            accepted = time.monotonic()
        responses = imap.idle_check(timeout=5)
        heard = time.monotonic()
        imap.idle_done()
    assert (before + 1, b"EXISTS") in responses, responses
    assert heard - accepted < 1.0, f"node B's IDLE heard of it {heard - accepted:.2f} s after node A's 250"


def test_outbound_mail_is_delivered_once_with_both_nodes_workers_running(cluster, remote_mx):
    handler, _port, _dns = remote_mx
    handler.received.clear()
    tags = [f"out-{i}" for i in range(OUTBOUND)]
    # Submitted on both nodes: each commit asks the workers (any node's, through Redis) to look now.
    for index, tag in enumerate(tags):
        node = NODES["a"] if index % 2 == 0 else NODES["b"]
        with smtplib.SMTP(node, int(cluster.env["HOPTHU_PORT_SUBMISSION"]), timeout=10) as smtp:
            smtp.login("alice@example.test", PASSWORD)
            smtp.send_message(_mail(tag, "alice@example.test", "bob@example.net"),
                              "alice@example.test", ["bob@example.net"])
    expected = {f"<{tag}@cluster.example.net>" for tag in tags}
    deadline = time.monotonic() + 90
    while not expected <= set(handler.received) and time.monotonic() < deadline:
        time.sleep(0.5)
    time.sleep(3)  # a second delivery, if any, would come now
    assert all(node.poll() is None for node in cluster.nodes.values())
    assert not (cluster.tmp / "no-blobs-here").exists()  # every body went to PostgreSQL
    mine = [message_id for message_id in handler.received if message_id in expected]
    assert sorted(set(mine)) == sorted(expected), "not every message was delivered"
    assert len(mine) == len(expected), f"delivered twice: {sorted({m for m in mine if mine.count(m) > 1})}"
    delivered_by = {name: cluster.output(name).count("Task mailcore.delivery.deliver_remote[")
                    for name in NODES}
    assert all(delivered_by.values()), f"tasks taken per node: {delivered_by}"


def _sender(host, port, index, acknowledged, stop):
    count = 0
    while not stop.is_set():
        try:
            with smtplib.SMTP(host, port, timeout=10) as client:
                while not stop.is_set():
                    tag = f"kill-{index}-{count}"
                    count += 1
                    client.send_message(_mail(tag), "load@example.net", ["alice@example.test"])
                    acknowledged.append(tag)  # only after the 250
        except (OSError, smtplib.SMTPException):
            time.sleep(0.05)  # node A is gone: keep trying until told to stop


def test_a_kill_9_of_node_a_under_smtp_load_loses_no_acknowledged_message(cluster):
    port = int(cluster.env["HOPTHU_PORT_SMTP"])
    acknowledged: list[str] = []
    stop = threading.Event()
    threads = [threading.Thread(target=_sender, args=(NODES["a"], port, i, acknowledged, stop)) for i in range(4)]
    for thread in threads:
        thread.start()
    try:
        deadline = time.monotonic() + 60
        while len(acknowledged) < 100:
            assert time.monotonic() < deadline, "node A did not take 100 messages in a minute"
            time.sleep(0.05)
        cluster.kill("a")  # mid-load: sessions and deliveries in every state
    finally:
        stop.set()
        for thread in threads:
            thread.join(30)
    # Node B delivers whatever node A had queued (its sweep; SKIP LOCKED, no lease left behind).
    deadline = time.monotonic() + 90
    while cluster.query("SELECT count(*) FROM delivery_queuerecipient WHERE kind = 'local' "
                        "AND status IN ('queued', 'deferred')")[0][0]:
        assert time.monotonic() < deadline, "node B did not deliver what node A had queued"
        time.sleep(0.5)
    stored = [row[0] for row in cluster.query("SELECT message_id FROM store_message")]
    tags = [message_id.strip("<>").split("@")[0] for message_id in stored]
    missing = set(acknowledged) - set(tags)
    assert not missing, f"acknowledged by node A but lost: {sorted(missing)[:10]}"
    duplicates = {tag for tag in tags if tag.startswith("kill-") and tags.count(tag) > 1}
    assert not duplicates, f"stored twice: {sorted(duplicates)[:10]}"
    assert cluster.nodes["b"].poll() is None
