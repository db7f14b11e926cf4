"""`bench store`: append throughput and search latency on a realistic mailbox.

It creates a throwaway domain and account in the configured database and blob
directory (so it measures the real setup, SQLite or PostgreSQL), appends N messages,
times searches, then removes everything it made.
"""
import random
import secrets
import statistics
import time

from django.db import close_old_connections

from mailcore.directory.services import create_account, create_domain, remove_domain
from mailcore.store.append import Target, append, append_batch
from mailcore.store.gc import collect_garbage
from mailcore.store.models import Message
from mailcore.store.search import SearchQuery, filter_messages, split_terms

from .corpus import make_message

QUERIES = [
    SearchQuery(text=split_terms("hóa đơn")),
    SearchQuery(text=split_terms("hoa don")),
    SearchQuery(text=split_terms("invoice")),
    SearchQuery(text=split_terms("\"báo cáo\"")),
    SearchQuery(text=split_terms("ngan sach quarterly")),
    SearchQuery(sender=["Nguyễn"]),
    SearchQuery(sender=["user42"]),
    SearchQuery(subject=["meeting"]),
    SearchQuery(text=split_terms("tài liệu")),
    SearchQuery(text=split_terms("zzznotfound")),
    SearchQuery(text=split_terms("dep")),
]


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _messages(rng, count, recipient):
    """Yield count distinct messages cycling over a generated corpus."""
    corpus = [make_message(rng, i, recipient) for i in range(min(count, 2000))]
    for index in range(count):
        raw = corpus[index % len(corpus)]
        if index >= len(corpus):  # vary the content so every blob is new
            raw = raw.replace(b"Subject: ", f"Subject: r{index} ".encode(), 1)
        yield raw


def _timed_appends(out, label, account, messages, batch):
    total_bytes, count = 0, 0
    started = time.perf_counter()
    pending = []
    for raw in messages:
        total_bytes += len(raw)
        count += 1
        if batch == 1:
            append(account.pk, "INBOX", raw)
            continue
        pending.append((raw, [Target(account.pk)]))
        if len(pending) == batch:
            append_batch(pending)
            pending = []
    if pending:
        append_batch(pending)
    elapsed = time.perf_counter() - started
    rate = count / elapsed
    out.write(f"{label}: {rate:,.0f} messages/s ({total_bytes / elapsed / 1e6:,.1f} MB/s, "
              f"{count} messages in {elapsed:.1f} s)\n")
    return rate


def run(count: int, searches: int, out, seed: int = 1, batch: int = 100, singles: int = 1000) -> dict:
    rng = random.Random(seed)
    domain = f"bench-{secrets.token_hex(4)}.test"
    create_domain(domain, default_quota=0)
    account = create_account(f"bench@{domain}", secrets.token_urlsafe(16))
    try:
        recipient = f"bench@{domain}"
        singles = min(singles, count)
        out.write(f"appending {count} messages to {recipient} (fsync on every commit) ...\n")
        single_rate = _timed_appends(out, "append, one message per transaction", account,
                                     _messages(rng, singles, recipient), 1)
        batch_rate = _timed_appends(out, f"append, group commit of {batch} (bulk delivery)", account,
                                    (raw.replace(b"Subject: ", b"Subject: b ", 1)
                                     for raw in _messages(rng, count - singles, recipient)), batch)
        latencies, hits = [], []
        base = Message.objects.filter(account_id=account.pk, folder__name="INBOX")
        for index in range(searches):
            query = QUERIES[index % len(QUERIES)]
            close_old_connections()
            started = time.perf_counter()
            page = list(
                filter_messages(base, account.pk, query)
                .order_by("-internal_date", "-id").values_list("id", "uid", "subject")[:50]
            )
            latencies.append((time.perf_counter() - started) * 1000)
            hits.append(len(page))
        p50, p95 = statistics.median(latencies), percentile(latencies, 0.95)
        out.write(f"search ({searches} queries, first page of 50 by date, {count} messages): "
                  f"p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {max(latencies):.1f} ms\n")
        return {"single_appends_per_second": single_rate, "batch_appends_per_second": batch_rate,
                "search_p50_ms": p50, "search_p95_ms": p95}
    finally:
        remove_domain(domain, remove_accounts=True)
        collect_garbage(grace_seconds=0)
