"""Ending a user's browser sessions (webmail, panel) from outside them.

The browser's sessions are Django's, listed per user by allauth.usersessions (the
"Signed-in sessions" page). A password reset ends them all; a password change ends all
but the one it was made in (docs/security.md). Django already refuses a session whose
password hash is out of date at its next request; ending them here also removes them
from the list and from the session store at once. Blocking (database).
"""
from allauth.usersessions.models import UserSession


def end_browser_sessions(user, *, keep_session_key: str | None = None) -> int:
    """End every browser session of user except keep_session_key; return how many ended."""
    ended = 0
    for session in UserSession.objects.filter(user_id=user.pk).exclude(session_key=keep_session_key or ""):
        session.end()  # deletes the session from the store, then its row here
        ended += 1
    return ended
