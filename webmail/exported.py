"""The webmail's part of an account's export (mailcore.accountdata): its preferences and
the senders whose images the user trusts, as settings.json["webmail"]."""
from .models import Preferences, TrustedSender


def webmail_settings(account) -> dict | None:
    preferences = Preferences.objects.filter(account=account).first()
    trusted = sorted(TrustedSender.objects.filter(account=account).values_list("address", flat=True))
    if preferences is None and not trusted:
        return None
    data = {"trusted_senders": trusted}
    if preferences is not None:
        data.update(signature=preferences.signature, time_zone=preferences.time_zone, language=preferences.language,
                    undo_send_seconds=preferences.undo_send_seconds, conversations=preferences.conversations,
                    page_size=preferences.page_size, remote_content=preferences.remote_content)
    return data
