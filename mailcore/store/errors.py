"""Errors of the store, each a ValidationError so forms show them and protocols map them."""
from django.core.exceptions import ValidationError


class StoreError(ValidationError):
    """Base of every refusal by the store; the message is fit to show a user."""


class FolderNotFound(StoreError):
    pass


class FolderExists(StoreError):
    pass


class InvalidFolderName(StoreError):
    pass


class FolderInUse(StoreError):
    """The folder cannot be deleted or renamed (INBOX, or it has children to keep)."""


class QuotaExceeded(StoreError):
    pass


class MessageTooLarge(StoreError):
    pass


class InvalidFlag(StoreError):
    pass


class MessageNotFound(StoreError):
    pass
