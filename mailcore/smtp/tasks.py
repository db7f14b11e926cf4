"""Celery tasks of the SMTP side (found by the app's autodiscovery): scheduled send."""
from .scheduled import send_scheduled

__all__ = ["send_scheduled"]
