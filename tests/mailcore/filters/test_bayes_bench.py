"""`bench spam` runs end to end on a small corpus: it prints precision, recall, spam caught,
ham to Junk and throughput, for the classifier alone and through the scan, and leaves
no domain, account or token behind (the global classifier is never taught)."""
import re

import pytest
from django.core.management import call_command

from mailcore.bench import spam as bench_spam
from mailcore.directory.models import Domain
from mailcore.filters.models import BayesCorpus, BayesToken, BayesTrained

pytestmark = pytest.mark.django_db


def test_bench_spam_prints_the_figures_and_cleans_up(capsys, monkeypatch):
    figures = {}
    real_run = bench_spam.run

    def run_and_keep(*args, **kwargs):
        figures.update(real_run(*args, **kwargs))
        return figures

    monkeypatch.setattr(bench_spam, "run", run_and_keep)
    call_command("bench", "spam", "--ham", "60", "--spam", "60", "--seed", "3")
    out = capsys.readouterr().out
    assert re.search(r"trained on \d+ spam and \d+ ham in [\d.]+ s \([\d,]+ messages/s\)", out)
    for label in ("bayes alone", r"scan path \(Junk from score [\d.]+\)"):
        assert re.search(
            label + r": precision [\d.]+%, recall [\d.]+%; spam caught [\d.]+% \(\d+ of \d+, target >= 95%\); "
                    r"ham to Junk [\d.]+% \(\d+ of \d+, target <= 0.5%\); [\d,]+ messages/s", out), label
    assert figures["trained"] == figures["tested"] == 60
    assert figures["bayes"]["recall"] > 0.8  # half of 120 messages is little, but enough to learn from
    assert figures["bayes"]["ham_to_junk"] == 0
    assert not Domain.objects.filter(name__startswith="bench-").exists()
    assert not BayesToken.objects.exists() and not BayesCorpus.objects.exclude(spam=0, ham=0).exists()
    assert not BayesTrained.objects.exists()
