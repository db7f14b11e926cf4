"""`bench spam`: how well the filter sorts a ham/spam corpus after learning half of it.

It makes a throwaway domain and account, generates the corpus (spam_corpus.py, seeded),
teaches the account's own Bayesian classifier half of each kind (never the global one:
the made-up corpus must not reach real mail's scores), then classifies the other half
and prints precision, recall (spam caught), ham sent to Junk, and the filter stage's
messages per second. The verdict comes from the real scan (filters.scan.scan_inbound,
with the domain's Junk threshold) when that module is installed, and from the Bayesian
classifier alone too, so the figures show what learning contributes. It removes
everything it made.
"""
import random
import secrets
import time
from dataclasses import dataclass

from django.conf import settings

from mailcore.directory.services import create_account, create_domain, remove_domain
from mailcore.filters import bayes
from mailcore.filters.policy import policy_for

from . import spam_corpus

BAYES_SPAM = 0.9  # a Bayesian probability from which the message is called spam


@dataclass
class Tally:
    label: str
    spam_caught: int = 0
    spam_total: int = 0
    ham_junked: int = 0
    ham_total: int = 0
    undecided: int = 0  # scan results that were neither: tempfail (a scanner down)
    seconds: float = 0.0

    def add(self, is_spam: bool, called_spam: bool | None):
        if called_spam is None:
            self.undecided += 1
            return
        if is_spam:
            self.spam_total += 1
            self.spam_caught += called_spam
        else:
            self.ham_total += 1
            self.ham_junked += called_spam

    def figures(self) -> dict:
        flagged = self.spam_caught + self.ham_junked
        scanned = self.spam_total + self.ham_total + self.undecided
        return {
            "precision": self.spam_caught / flagged if flagged else 1.0,
            "recall": self.spam_caught / self.spam_total if self.spam_total else 0.0,
            "ham_to_junk": self.ham_junked / self.ham_total if self.ham_total else 0.0,
            "messages_per_second": scanned / self.seconds if self.seconds else 0.0,
            "undecided": self.undecided,
        }

    def write(self, out):
        f = self.figures()
        out.write(
            f"{self.label}: precision {f['precision']:.2%}, recall {f['recall']:.2%}; "
            f"spam caught {f['recall']:.2%} ({self.spam_caught} of {self.spam_total}, target >= 95%); "
            f"ham to Junk {f['ham_to_junk']:.2%} ({self.ham_junked} of {self.ham_total}, target <= 0.5%); "
            f"{f['messages_per_second']:,.0f} messages/s"
            + (f"; {self.undecided} not decided (scanner down)" if self.undecided else "") + "\n")


def _scan_verdict():
    """A function raw -> spam? through the real scan, or None when scan.py is not installed."""
    try:
        from mailcore.filters.scan import scan_inbound
    except ImportError:
        return None

    def verdict(raw, recipient, policy):
        result = scan_inbound(raw, mail_from="", recipients=[recipient], client_ip="127.0.0.1",
                              helo="bench.example")
        if result.action == "tempfail":
            return None
        if result.action in ("reject", "quarantine"):
            return True
        return result.spam is not None and result.spam.score >= policy.junk_score

    return verdict


def _classify(tally: Tally, test: list[tuple[bytes, bool]], verdict):
    started = time.perf_counter()
    for raw, is_spam in test:
        tally.add(is_spam, verdict(raw))
    tally.seconds = time.perf_counter() - started


def run(ham: int, spam: int, out, seed: int = 1) -> dict:
    rng = random.Random(seed)
    domain = f"bench-{secrets.token_hex(4)}.test"
    create_domain(domain, default_quota=0)
    account = create_account(f"bench@{domain}", secrets.token_urlsafe(16))
    recipient = f"bench@{domain}"
    try:
        out.write(f"generating {ham} ham and {spam} spam messages (seed {seed}) ...\n")
        ours = settings.HOPTHU_HOSTNAME  # the corpus arrives as through our MX: our Authentication-Results
        corpus = [(raw, False) for raw in spam_corpus.messages(rng, ham, False, recipient, ours)]
        corpus += [(raw, True) for raw in spam_corpus.messages(rng, spam, True, recipient, ours)]
        rng.shuffle(corpus)
        train, test = corpus[: len(corpus) // 2], corpus[len(corpus) // 2:]
        started = time.perf_counter()
        for kind in (True, False):
            bayes.train_many(account.pk, [(raw, None) for raw, is_spam in train if is_spam is kind], kind,
                             into_global=False)
        seconds = time.perf_counter() - started
        spams, hams = bayes.counts(account.pk)
        out.write(f"trained on {spams} spam and {hams} ham in {seconds:.1f} s "
                  f"({len(train) / seconds:,.0f} messages/s)\n")
        alone = Tally("bayes alone")
        _classify(alone, test, lambda raw: (bayes.spam_probability(raw, [account.pk]) or 0) >= BAYES_SPAM)
        alone.write(out)
        figures = {"trained": len(train), "tested": len(test), "bayes": alone.figures()}
        scan = _scan_verdict()
        if scan is None:
            out.write("scan path: mailcore.filters.scan is not installed; only the Bayesian figures above\n")
        else:
            policy = policy_for(account.domain)
            through_scan = Tally(f"scan path (Junk from score {policy.junk_score:g})")
            _classify(through_scan, test, lambda raw: scan(raw, recipient, policy))
            through_scan.write(out)
            figures["scan"] = through_scan.figures()
        return figures
    finally:
        remove_domain(domain, remove_accounts=True)
