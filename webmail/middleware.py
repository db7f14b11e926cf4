"""Applies a signed-in user's language and time zone (webmail Preferences) to each request.

The time zone is the one the user chose in Settings; else the browser's, which
time-zone.js reports on the first page (stored in Preferences.browser_time_zone for a
mail account, in the session for an admin without a mailbox: preferences/time_zone.py);
else the server's. request.time_zone says which, for the page's script.
"""
import contextlib
import zoneinfo
from dataclasses import dataclass

from django.utils import timezone, translation

from .models import Preferences

SESSION_KEY = "browser_time_zone"


@dataclass(frozen=True)
class TimeZone:
    name: str  # the zone in force, "" for the server's
    chosen: bool  # the user picked it in Settings (the browser's does not count then)
    browser: str  # what the browser last said ("" not yet)


class UserPreferencesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        preferences = None
        if request.user.is_authenticated:
            preferences = Preferences.objects.filter(account__user=request.user).only(
                "language", "time_zone", "browser_time_zone").first()
        if preferences and preferences.language:
            translation.activate(preferences.language)
            request.LANGUAGE_CODE = preferences.language
        request.time_zone = _time_zone(request, preferences)
        timezone.deactivate()
        # A zone this server's tzdata no longer has leaves the server's.
        with contextlib.suppress(zoneinfo.ZoneInfoNotFoundError, ValueError):
            if request.time_zone.name:
                timezone.activate(zoneinfo.ZoneInfo(request.time_zone.name))
        return self.get_response(request)


def _time_zone(request, preferences) -> TimeZone:
    session = getattr(request, "session", None)
    browser = (preferences.browser_time_zone if preferences else "") or (
        session.get(SESSION_KEY, "") if session is not None and request.user.is_authenticated else "")
    if preferences and preferences.time_zone:
        return TimeZone(preferences.time_zone, True, browser)
    return TimeZone(browser, False, browser)
