"""Real password hashers for the auth tests: one that counts verifications, one to upgrade to."""
from django.contrib.auth.hashers import MD5PasswordHasher, PBKDF2PasswordHasher


class CountingHasher(MD5PasswordHasher):
    """MD5 like the suite's fast hasher (the same "md5$" hashes), counting verify() calls."""

    verified = 0

    def verify(self, password, encoded):
        CountingHasher.verified += 1
        return super().verify(password, encoded)


class QuickPBKDF2Hasher(PBKDF2PasswordHasher):
    """Django's default hasher with few rounds: a preferred hasher that md5 hashes upgrade to."""

    iterations = 1000
