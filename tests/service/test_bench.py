"""`bench store` runs end to end: the figures are printed, the appends really landed
(in order, from two writer processes) and the bench leaves nothing behind."""
import re

import pytest
from django.core.management import call_command

from mailcore.bench import store as bench_store
from mailcore.directory.models import Domain
from mailcore.store.models import Blob, Message


@pytest.mark.django_db(transaction=True)
def test_bench_store_appends_searches_and_cleans_up(capsys, monkeypatch):
    figures = {}
    real_run = bench_store.run

    def run_and_keep(*args, **kwargs):
        figures.update(real_run(*args, **kwargs))
        return figures

    monkeypatch.setattr(bench_store, "run", run_and_keep)
    call_command("bench", "store", "-n", "120", "--singles", "20", "--batch", "10",
                 "--processes", "2", "--searches", "11")
    out = capsys.readouterr().out
    assert re.search(r"one message per transaction, 1 process: [\d,]+ messages/s .*20 messages", out)
    assert re.search(r"group commit of 10, 2 process\(es\): [\d,]+ messages/s .*100 messages", out)
    assert re.search(r"search \(11 queries, .*120 messages: p50 [\d.]+ ms, p95 [\d.]+ ms", out)
    assert re.search(r"search box with operators \(11 queries, .*p95 [\d.]+ ms", out)
    assert figures["search_box_p95_ms"] > 0
    assert figures["messages"] == 120
    assert figures["batch_appends_per_second"] > 0 and figures["search_p95_ms"] > 0
    assert not Domain.objects.filter(name__startswith="bench-").exists()
    assert Message.objects.count() == 0 and Blob.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_bench_smtp_sends_accepts_and_delivers_everything(capsys, monkeypatch):
    from mailcore.bench import smtp as bench_smtp

    figures = {}
    real_run = bench_smtp.run

    def run_and_keep(*args, **kwargs):
        figures.update(real_run(*args, **kwargs))
        return figures

    monkeypatch.setattr(bench_smtp, "run", run_and_keep)
    call_command("bench", "smtp", "-n", "60", "-c", "4")
    out = capsys.readouterr().out
    assert re.search(r"accepted: [\d,]+ messages/s \(60 in [\d.]+ s; 0 refused\)", out)
    assert re.search(r"delivered to the mailbox: [\d,]+ messages/s \(60 in", out)
    assert re.search(r"DATA latency: p50 [\d.]+ ms, p95 [\d.]+ ms", out)
    assert figures["accepted"] == figures["delivered"] == 60
    assert not Domain.objects.filter(name__startswith="bench-").exists()
    assert Message.objects.count() == 0 and Blob.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_bench_imap_runs_every_command_and_measures_idle_connections(capsys):
    call_command("bench", "imap", "-c", "2", "-n", "60", "--seconds", "1", "--idle", "5")
    out = capsys.readouterr().out
    assert re.search(r"FETCH envelopes: [\d,]+ envelopes/s", out)
    for name in ("SELECT", "FETCH 50 envelopes", "UID FETCH body", "STORE", "SEARCH", "APPEND", "IDLE"):
        assert re.search(rf"{re.escape(name)}.*: [\d,.]+ commands/s, p50 [\d.]+ ms, p95 [\d.]+ ms", out), name
    for criteria in ("(REVERSE DATE)", "(SUBJECT)", "(FROM DATE)"):
        assert re.search(rf"SORT {re.escape(criteria)} of 60 messages: p50 [\d.]+ ms, p95 [\d.]+ ms", out), criteria
    for algorithm in ("REFERENCES", "ORDEREDSUBJECT"):
        assert re.search(rf"THREAD {algorithm} of 60 messages: p50 [\d.]+ ms, p95 [\d.]+ ms", out), algorithm
    assert re.search(r"5 IDLE connections: -?[\d,.]+ MB more memory", out)
    assert not Domain.objects.filter(name__startswith="bench-").exists()
