"""Keys follow their domain: one is made when a domain is created, files go with their rows.

Both run after the commit: a domain whose creation rolls back leaves no key file, the
RSA generation does not hold the database's write lock, and a file is removed only
once no committed row can point at it.
"""
import logging

from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)


def domain_saved(sender, instance, created, raw=False, **kwargs):
    """post_save of directory.Domain: make the new domain's key (unless HOPTHU_DKIM_AUTOCREATE is off)."""
    if not created or raw or not getattr(settings, "HOPTHU_DKIM_AUTOCREATE", True):
        return
    domain_id = instance.pk

    def make_key():
        from mailcore.directory.models import Domain

        from .keys import create_key

        domain = Domain.objects.filter(pk=domain_id).first()
        if domain is not None:
            create_key(domain)

    # robust: a failure is logged, not raised into whoever committed the domain;
    # `manage.py dkim rotate DOMAIN` makes the key later.
    transaction.on_commit(make_key, robust=True)


def key_deleted(sender, instance, **kwargs):
    """post_delete of DkimKey (also by cascade from its domain): remove the private key file."""
    from .keys import remove_key_file

    transaction.on_commit(lambda: remove_key_file(instance.key_file), robust=True)
