"""Applies a signed-in user's language and time zone (webmail Preferences) to each request."""
import zoneinfo

from django.utils import timezone, translation

from .models import Preferences


class UserPreferencesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        preferences = None
        if request.user.is_authenticated:
            preferences = Preferences.objects.filter(account__user=request.user).only(
                "language", "time_zone").first()
        if preferences and preferences.language:
            translation.activate(preferences.language)
            request.LANGUAGE_CODE = preferences.language
        if preferences and preferences.time_zone:
            try:
                timezone.activate(zoneinfo.ZoneInfo(preferences.time_zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)
