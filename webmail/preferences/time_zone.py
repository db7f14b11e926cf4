"""The browser's time zone, as time-zone.js reports it on the first page a user opens.

It becomes the user's zone unless they chose one in Settings (middleware.py): kept in
the account's Preferences (and in the session, which is all an admin without a mailbox
has). The answer names the zone now in force, so a page shown in another zone can be
shown again with its times in this one.
"""
from django.conf import settings
from django.http import HttpResponseForbidden, JsonResponse
from django.views.decorators.http import require_POST

from webmail.access import account_of
from webmail.middleware import SESSION_KEY
from webmail.models import known_time_zone, preferences_for


@require_POST
def browser_time_zone(request):
    if not request.user.is_authenticated:
        return HttpResponseForbidden()
    zone = known_time_zone(request.POST.get("zone", ""))
    if not zone:
        return JsonResponse({"error": "unknown time zone"}, status=400)
    before = request.time_zone
    request.session[SESSION_KEY] = zone
    account = account_of(request.user)
    if account is not None:
        preferences = preferences_for(account)
        if preferences.browser_time_zone != zone:
            preferences.browser_time_zone = zone
            preferences.save(update_fields=["browser_time_zone"])
    in_force = before.name if before.chosen else zone
    # Times change only if the zone in force does (the server's may be the same). The page
    # compares "zone" with the one it was shown in: another page may have reported first.
    changed = in_force != (before.name or settings.TIME_ZONE)
    return JsonResponse({"zone": in_force, "changed": changed})
