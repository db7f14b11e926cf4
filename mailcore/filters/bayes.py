"""The Bayesian spam classifier users teach: a global one, and one per account.

Scoring follows Gary Robinson's method as SpamBayes uses it. Each token w seen in
b spams of B and g hams of G gets p = (b/B) / (b/B + g/G), pulled towards an unknown
word's 0.5 by how rarely it was seen: f = (S*X + n*p) / (S + n) with n = b + g. The
MAX_CLUES tokens farthest from 0.5 (and at least MIN_DISTANCE from it) are combined
with Fisher's chi-square test twice, once for "these are spam words" and once for "these
are ham words"; the result (1 + spam - ham) / 2 is near 1 for spam, near 0 for ham, and
near 0.5 when the message has strong signs both ways or none at all.

Every training adds the message to the global classifier (owner 0) and to the account's
own (owner = account id). A message is scored with the account's own classifier once
that account has taught it MIN_TRAINED spams and hams; before that with the global one;
and when neither has, spam_probability returns None: an untrained filter stays neutral.

Training is idempotent per (account, message digest) through BayesTrained: learning a
message again the same way does nothing, and learning it the other way first unlearns
it. A training first locks the BayesCorpus rows it changes (in owner order), so the
trainings of one classifier run one after another and no two deadlock; under that lock
it reads the existing counts of all its tokens in one SELECT per 500 and writes them back
with bulk_create/bulk_update, never a query per token or per message. SQLite takes the
database write lock at BEGIN (transaction_mode IMMEDIATE); PostgreSQL locks the rows.
"""
import hashlib
import math
import time
from collections import defaultdict
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest

from .bayes_tokens import token_ids
from .models import BayesCorpus, BayesToken, BayesTrained

GLOBAL = 0
MIN_TRAINED = 20  # spams and hams (each) a classifier needs before it is believed
STRENGTH = 0.45  # Robinson's s: how much an unknown word's X weighs against evidence
UNKNOWN = 0.5  # Robinson's x: a token never seen is neither
MIN_DISTANCE = 0.1  # tokens within this of 0.5 say nothing
MAX_CLUES = 150
BATCH = 500  # tokens per IN (...) list: SQLite's and PostgreSQL's limits are far above


def message_digest(raw: bytes) -> str:
    """The SHA-256 a message body is known by (as the store names its blobs)."""
    return hashlib.sha256(raw).hexdigest()


# --- scoring -------------------------------------------------------------------------------

def _chi2q(chi2: float, freedom: int) -> float:
    """P(a chi-square variable with `freedom` (even) degrees of freedom >= chi2)."""
    half = chi2 / 2.0
    term = total = math.exp(-half)
    for i in range(1, freedom // 2):
        term *= half / i
        total += term
    return min(total, 1.0)


def _token_probability(spam: int, ham: int, spams: int, hams: int) -> float:
    spam_ratio, ham_ratio = spam / spams, ham / hams
    p = spam_ratio / (spam_ratio + ham_ratio)
    n = spam + ham
    return (STRENGTH * UNKNOWN + n * p) / (STRENGTH + n)


def combine(probabilities: Iterable[float]) -> float:
    """Fisher-Robinson chi-square combining of the clue probabilities (0.5 with no clue)."""
    clues = sorted(probabilities, key=lambda p: -abs(p - 0.5))
    clues = [p for p in clues if abs(p - 0.5) >= MIN_DISTANCE][:MAX_CLUES]
    if not clues:
        return 0.5
    # Sums of logs rather than products: 150 small factors underflow a float.
    hamminess = -2.0 * sum(math.log(max(p, 1e-200)) for p in clues)
    spamminess = -2.0 * sum(math.log(max(1.0 - p, 1e-200)) for p in clues)
    spam = 1.0 - _chi2q(spamminess, 2 * len(clues))
    ham = 1.0 - _chi2q(hamminess, 2 * len(clues))
    return (1.0 + spam - ham) / 2.0


def _trained(corpus) -> bool:
    return corpus is not None and corpus.spam >= MIN_TRAINED and corpus.ham >= MIN_TRAINED


def _score(owner: int, corpus: BayesCorpus, tokens: list[int]) -> float:
    counts = {}
    for start in range(0, len(tokens), BATCH):
        rows = BayesToken.objects.filter(owner=owner, token__in=tokens[start:start + BATCH])
        counts.update((token, (spam, ham)) for token, spam, ham in rows.values_list("token", "spam", "ham"))
    return combine(
        _token_probability(spam, ham, corpus.spam, corpus.ham) for spam, ham in counts.values() if spam or ham
    )


def trained_owners() -> frozenset:
    """The owners whose classifier has enough training, kept for a few seconds.

    The MX asks for every message, and on most servers nothing is trained yet: the answer
    then costs no query and no alias expansion. Training in this process clears it at
    once; training in another process (an IMAP move) shows within
    HOPTHU_DIRECTORY_CACHE_SECONDS.
    """
    global _trained_cache
    expires, owners = _trained_cache
    if expires > time.monotonic():
        return owners
    owners = frozenset(BayesCorpus.objects.filter(spam__gte=MIN_TRAINED, ham__gte=MIN_TRAINED)
                       .values_list("owner", flat=True))
    _trained_cache = (time.monotonic() + int(getattr(settings, "HOPTHU_DIRECTORY_CACHE_SECONDS", 5)), owners)
    return owners


def clear_cache():
    global _trained_cache
    _trained_cache = (0.0, frozenset())


_trained_cache = (0.0, frozenset())


def spam_probability(raw: bytes, account_ids: Iterable[int] | Callable[[], Iterable[int]]) -> float | None:
    """How likely raw is spam (0..1) for these recipients, or None when untrained.

    Each recipient account with enough training of its own is scored by its own
    classifier; the mean is returned (one message, one verdict at SMTP time). When no
    recipient has, the global classifier decides, if it has enough training.
    account_ids may be a callable, asked only when some classifier is trained.
    """
    trained = trained_owners()
    if not trained:
        return None
    account_ids = sorted(set(account_ids() if callable(account_ids) else account_ids))
    candidates = [owner for owner in account_ids if owner in trained] or [GLOBAL]
    corpora = {c.owner: c for c in BayesCorpus.objects.filter(owner__in=candidates)}
    owners = [owner for owner in candidates if _trained(corpora.get(owner))]
    if not owners and candidates != [GLOBAL]:
        corpora = {c.owner: c for c in BayesCorpus.objects.filter(owner=GLOBAL)}
        owners = [GLOBAL] if _trained(corpora.get(GLOBAL)) else []
    if not owners:
        return None
    tokens = token_ids(raw)
    return sum(_score(owner, corpora[owner], tokens) for owner in owners) / len(owners)


# --- training ------------------------------------------------------------------------------

def _lock_corpora(owners: list[int]) -> dict[int, BayesCorpus]:
    BayesCorpus.objects.bulk_create([BayesCorpus(owner=o) for o in owners], ignore_conflicts=True)
    return {c.owner: c for c in BayesCorpus.objects.select_for_update().filter(owner__in=owners).order_by("owner")}


def _apply(owner: int, deltas: dict[int, list[int]]):
    """Add deltas {token: [spam, ham]} to owner's token counts, never below zero.

    The caller holds owner's BayesCorpus row locked, and every writer of owner's tokens
    does: so reading the counts, then writing them back in bulk, loses no update.
    """
    tokens = [token for token, (spam, ham) in deltas.items() if spam or ham]
    existing = {}
    for start in range(0, len(tokens), BATCH):
        batch = tokens[start:start + BATCH]
        rows = BayesToken.objects.filter(owner=owner, token__in=batch).only("token", "spam", "ham")
        existing.update((row.token, row) for row in rows)
    new, changed, dead = [], [], []
    for token in tokens:
        spam, ham = deltas[token]
        row = existing.get(token)
        if row is None:
            if spam > 0 or ham > 0:
                new.append(BayesToken(owner=owner, token=token, spam=max(spam, 0), ham=max(ham, 0)))
            continue
        row.spam, row.ham = max(row.spam + spam, 0), max(row.ham + ham, 0)
        # A token no longer in any trained message is dead weight.
        (changed if row.spam or row.ham else dead).append(row)
    BayesToken.objects.bulk_create(new, batch_size=BATCH)
    BayesToken.objects.bulk_update(changed, ["spam", "ham"], batch_size=BATCH)
    for start in range(0, len(dead), BATCH):
        BayesToken.objects.filter(pk__in=[row.pk for row in dead[start:start + BATCH]]).delete()


def train_many(account_id: int, messages: Iterable[tuple[bytes, str | None]], spam: bool,
               into_global: bool = True) -> int:
    """Learn messages [(raw, digest or None)] of one account as spam or ham; return how
    many changed the classifiers (already learnt that way: skipped).

    into_global=False teaches the account's classifier alone (the bench does, so its
    made-up corpus never reaches the classifier real mail is scored with).
    """
    spam = bool(spam)  # compared with `is` against the stored booleans below
    wanted = {}
    for raw, digest in messages:
        wanted.setdefault(digest or message_digest(raw), raw)
    if not wanted:
        return 0
    with transaction.atomic():
        owners = [GLOBAL, account_id] if into_global else [account_id]
        corpora = _lock_corpora(owners)
        before = dict(BayesTrained.objects.filter(account_id=account_id, digest__in=list(wanted))
                      .values_list("digest", "spam"))
        todo = [digest for digest in wanted if before.get(digest) is not spam]
        if not todo:
            return 0
        deltas = defaultdict(lambda: [0, 0])
        add, other = (0, 1) if spam else (1, 0)
        unlearnt = 0
        for digest in todo:
            for token in token_ids(wanted[digest]):
                deltas[token][add] += 1
                if digest in before:
                    deltas[token][other] -= 1
            unlearnt += digest in before
        learnt = len(todo)
        for owner in owners:
            _apply(owner, deltas)
            change = {("spam" if spam else "ham"): F("spam" if spam else "ham") + learnt}
            if unlearnt:
                name = "ham" if spam else "spam"
                change[name] = Greatest(F(name) - unlearnt, Value(0))
            BayesCorpus.objects.filter(pk=corpora[owner].pk).update(**change)
        BayesTrained.objects.filter(account_id=account_id, digest__in=[d for d in todo if d in before]).update(
            spam=spam)
        BayesTrained.objects.bulk_create(
            [BayesTrained(account_id=account_id, digest=d, spam=spam) for d in todo if d not in before],
            batch_size=BATCH)
    clear_cache()
    return learnt


def train(raw: bytes, account_id: int, spam: bool, digest: str | None = None) -> bool:
    """Learn one message of an account as spam (True) or ham; False if already learnt so."""
    return bool(train_many(account_id, [(raw, digest)], spam))


def forget_account(account_id: int):
    """Remove an account's own classifier (its rows have no foreign key to cascade)."""
    BayesToken.objects.filter(owner=account_id).delete()
    BayesCorpus.objects.filter(owner=account_id).delete()
    clear_cache()


def counts(owner: int = GLOBAL) -> tuple[int, int]:
    """(spams, hams) a classifier has learnt."""
    corpus = BayesCorpus.objects.filter(owner=owner).first()
    return (corpus.spam, corpus.ham) if corpus else (0, 0)
