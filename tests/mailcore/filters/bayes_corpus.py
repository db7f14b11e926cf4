"""Ham and spam for the Bayesian tests, from the project's own corpus generator."""
import random

from mailcore.bench import spam_corpus


def corpus(count: int, spam: bool, seed: int = 7) -> list[bytes]:
    return spam_corpus.messages(random.Random(seed + spam), count, spam, "alice@example.test")
