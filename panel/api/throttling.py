"""The rate limit per token: HOPTHU_API_RATE_PER_MINUTE requests in any minute.

Counted in the database (mailcore/auth/ratelimit.py), so every web worker and node
shares one count; over it the request gets 429 with Retry-After (RFC 6585 §4).
"""
import math

from django.conf import settings
from rest_framework.throttling import BaseThrottle

from mailcore.auth.errors import RateLimited
from mailcore.auth.ratelimit import RateLimit

WINDOW_SECONDS = 60


class TokenRateThrottle(BaseThrottle):
    def __init__(self):
        self.retry_after = None

    def allow_request(self, request, view):
        limit = settings.HOPTHU_API_RATE_PER_MINUTE
        if request.auth is None or not limit:
            return True  # unauthenticated requests are refused before they cost anything
        try:
            RateLimit(f"api-token:{request.auth.pk}", limit, WINDOW_SECONDS).hit()
        except RateLimited as limited:
            self.retry_after = max(1, math.ceil(limited.retry_after))
            return False
        return True

    def wait(self):
        return self.retry_after
