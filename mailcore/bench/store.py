"""`bench store`: append throughput and search latency on a realistic mailbox.

It creates a throwaway domain and account in the configured database and blob
directory (so it measures the real setup, SQLite or PostgreSQL), appends N messages,
times searches, then removes everything it made.
"""
import datetime as dt
import multiprocessing
import os
import random
import secrets
import statistics
import time

from django.db import close_old_connections, connections

from mailcore.directory.services import create_account, create_domain, remove_domain
from mailcore.store.append import Target, append, append_batch
from mailcore.store.folders import folder_id
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


# IMAP SEARCH keys (store/search/criteria.py), as an IMAP client sends them; then SORTs.
IMAP_SEARCHES = [
    ("BODY invoice (a whole word)", ("text", "body", "invoice")),
    ("BODY \"hóa đơn\" (a phrase)", ("text", "body", "hóa đơn")),
    ("BODY nvoic (inside a word: no index)", ("text", "body", "nvoic")),
    ("BODY zzznotfound (a word in no message)", ("text", "body", "zzznotfound")),
    ("TEXT \"meeting sch\" (words)", ("text", "text", "meeting sch")),
    ("TEXT chedul (inside a word: no index)", ("text", "text", "chedul")),
    ("SUBJECT eeting", ("text", "subject", "eeting")),
    ("FROM nguy", ("text", "from", "nguy")),
    ("HEADER Message-ID bench.4", ("header", "message-id", "bench.4")),
    ("HEADER In-Reply-To \"\"", ("header", "in-reply-to", "")),
    ("SENTSINCE 1-Mar-2026 NOT SEEN", ("and", [("sent", "since", dt.date(2026, 3, 1)), ("flag", "seen", False)])),
]
IMAP_SORTS = [[("SUBJECT", False)], [("FROM", False), ("DATE", True)], [("CC", True)], [("DISPLAYFROM", False)]]

# What users type in the webmail's search box (store/search/operators.py).
SEARCH_BOX = [
    "from:nguyen is:unread",
    "hoa don after:2026-01-01",
    "has:attachment larger:20K",
    "subject:meeting in:inbox",
    '"báo cáo" before:2027-01-01',
    "is:flagged",
    "to:bench smaller:5K dep",
    "in:inbox zzznotfound",
]


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _messages(rng, count, recipient):
    """Yield count distinct messages cycling over a generated corpus."""
    corpus = [make_message(rng, i, recipient) for i in range(min(count, 2000))]
    for index in range(count):
        raw = corpus[index % len(corpus)]
        if index >= len(corpus):  # vary the content (and the conversations) so every blob is new
            raw = raw.replace(b"Subject: ", f"Subject: r{index} ".encode(), 1)
            raw = raw.replace(b"<bench.", f"<r{index // len(corpus)}.bench.".encode())
        yield raw


def _append_all(account_pk, messages, batch):
    if batch == 1:
        for raw in messages:
            append(account_pk, "INBOX", raw)
        return
    for start in range(0, len(messages), batch):
        append_batch([(raw, [Target(account_pk)]) for raw in messages[start:start + batch]])


def _writer_process(account_pk, messages, batch):
    try:
        _append_all(account_pk, messages, batch)
    finally:
        connections.close_all()


def _timed_appends(out, label, account, messages, batch, processes=1):
    """Append messages and print the rate; with processes > 1, that many writers share them.

    Writers are forked after the parent's connections are closed, so each opens its own,
    as the mail core's worker processes do.
    """
    messages = list(messages)
    total_bytes = sum(len(raw) for raw in messages)
    started = time.perf_counter()
    if processes == 1:
        _append_all(account.pk, messages, batch)
    else:
        connections.close_all()
        context = multiprocessing.get_context("fork")
        writers = [context.Process(target=_writer_process, args=(account.pk, messages[i::processes], batch))
                   for i in range(processes)]
        for writer in writers:
            writer.start()
        for writer in writers:
            writer.join()
        if any(writer.exitcode for writer in writers):
            raise RuntimeError("a bench writer process failed")
    elapsed = time.perf_counter() - started
    rate = len(messages) / elapsed
    out.write(f"{label}: {rate:,.0f} messages/s ({total_bytes / elapsed / 1e6:,.1f} MB/s, "
              f"{len(messages)} messages in {elapsed:.1f} s)\n")
    return rate


def run(count: int, searches: int, out, seed: int = 1, batch: int = 100, singles: int = 1000,
        processes: int | None = None) -> dict:
    """Append `singles` messages one per transaction, then the rest in group commits of
    `batch` by `processes` writers (default: one per CPU), then time searches."""
    processes = processes or os.cpu_count() or 1
    rng = random.Random(seed)
    domain = f"bench-{secrets.token_hex(4)}.test"
    create_domain(domain, default_quota=0)
    account = create_account(f"bench@{domain}", secrets.token_urlsafe(16))
    try:
        recipient = f"bench@{domain}"
        singles = min(singles, count)
        out.write(f"appending {count} messages to {recipient} (every commit durable: fsync) ...\n")
        single_rate = _timed_appends(out, "append, one message per transaction, 1 process", account,
                                     _messages(rng, singles, recipient), 1)
        bulk = [raw.replace(b"Subject: ", b"Subject: b ", 1) for raw in _messages(rng, count - singles, recipient)]
        batch_rate = _timed_appends(out, f"append, group commit of {batch}, {processes} process(es)", account,
                                    bulk, batch, processes)
        latencies, hits = [], []
        # As the webmail lists a folder: by its id, so the (folder, date) index gives the order.
        base = Message.objects.filter(folder_id=folder_id(account.pk, "INBOX"))
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
        out.write(f"search ({searches} queries, first page of 50 by date, {count} messages: "
                  f"p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {max(latencies):.1f} ms; "
                  f"{statistics.mean(hits):.0f} results per page on average)\n")
        box = _search_box(account.pk, searches)
        out.write(f"search box with operators ({searches} queries, first page of 50 by date: "
                  f"p50 {box[0]:.1f} ms, p95 {box[1]:.1f} ms, max {box[2]:.1f} ms)\n")
        listing_p95 = _list_pages(out, account.pk, searches)
        _imap_searches(out, account.pk, max(3, searches // 20))
        return {"single_appends_per_second": single_rate, "list_p95_ms": listing_p95,
                "batch_appends_per_second": batch_rate,
                "messages": Message.objects.filter(account_id=account.pk).count(),
                "search_p50_ms": p50, "search_p95_ms": p95, "search_box_p95_ms": box[1]}
    finally:
        remove_domain(domain, remove_accounts=True)
        collect_garbage(grace_seconds=0)


def _timed(function, repeats: int) -> list[float]:
    latencies = []
    for _ in range(repeats):
        close_old_connections()
        started = time.perf_counter()
        function()
        latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def _list_pages(out, account_id: int, repeats: int) -> float:
    """Time the webmail's message list (store.listing) as it pages a big folder."""
    from mailcore.store import listing

    inbox = Message.objects.filter(folder_id=folder_id(account_id, "INBOX"))
    total = inbox.count()
    deep = max(0, total // 2)
    worst = 0.0
    cases = [(f"sorted by {sort} {'desc' if descending else 'asc'}, page at offset {offset}",
              lambda sort=sort, descending=descending, offset=offset: listing.message_page(
                  inbox, sort, descending, offset, 50))
             for sort in listing.SORTS for descending in (True, False) for offset in (0, deep)]
    cases += [(f"conversations, page at offset {offset}",
               lambda offset=offset: listing.conversation_page(inbox, True, offset, 50)) for offset in (0, deep // 2)]
    for label, function in cases:
        latencies = _timed(function, max(3, repeats // 20))
        p95 = percentile(latencies, 0.95)
        worst = max(worst, p95)
        out.write(f"message list, {total} messages, {label}: p50 {statistics.median(latencies):.1f} ms, "
                  f"p95 {p95:.1f} ms\n")
    return worst


def _search_box(account_id: int, searches: int) -> tuple[float, float, float]:
    """p50, p95 and max ms of the search box's queries, parsed and run as the webmail will."""
    from mailcore.store.search.operators import parse

    latencies = []
    for index in range(searches):
        close_old_connections()
        started = time.perf_counter()
        query = parse(SEARCH_BOX[index % len(SEARCH_BOX)])
        list(query.apply(Message.objects.all(), account_id)
             .order_by("-internal_date", "-id").values_list("id", "uid", "subject")[:50])
        latencies.append((time.perf_counter() - started) * 1000)
    return statistics.median(latencies), percentile(latencies, 0.95), max(latencies)


def _imap_searches(out, account_id: int, repeats: int):
    """Time IMAP SEARCH keys and SORTs over the whole folder, as the IMAP server runs them."""
    from mailcore.store.search.criteria import search_uids
    from mailcore.store.search.sorting import sort_uids

    inbox = folder_id(account_id, "INBOX")
    total = Message.objects.filter(folder_id=inbox).count()
    cases = [(f"IMAP SEARCH {label}", lambda criteria=criteria: search_uids(inbox, account_id, criteria))
             for label, criteria in IMAP_SEARCHES]
    cases += [(f"IMAP SORT ({' '.join(('REVERSE ' if reverse else '') + name for name, reverse in order)}) ALL",
               lambda order=order: sort_uids(inbox, account_id, ("all",), order)) for order in IMAP_SORTS]
    for label, function in cases:
        found = len(function())
        latencies = _timed(function, repeats)
        out.write(f"{label}, {total} messages: {found} found, p50 {statistics.median(latencies):.0f} ms, "
                  f"max {max(latencies):.0f} ms\n")
