"""Each hosted domain's filter policy, or the defaults for a domain that never changed it."""
import time

from django.conf import settings
from django.db.models.signals import post_delete, post_save

from .models import FilterPolicy


def policy_for(domain) -> FilterPolicy:
    """The domain's FilterPolicy; an unsaved one with the defaults if it has none."""
    policy = FilterPolicy.objects.filter(domain=domain).first()
    return policy if policy is not None else FilterPolicy(domain=domain)


def blocked_extensions(policy: FilterPolicy) -> set[str]:
    return {word.strip(".").lower() for word in policy.blocked_extensions.replace(",", " ").split() if word}


def blocked_types(policy: FilterPolicy) -> set[str]:
    return {word.lower() for word in policy.blocked_types.replace(",", " ").split() if word}


# --- The MX's cached view -------------------------------------------------------------------
# The MX needs the recipients' policies for every message; they change rarely. All rows are
# read at once and kept for HOPTHU_DIRECTORY_CACHE_SECONDS; a save in this process clears
# them at once (signals below), one in another process shows within that time. The panel
# edits through policy_for(), never through these shared instances.

_cache = (0.0, {})


def _policies() -> dict:
    global _cache
    expires, rows = _cache
    if expires <= time.monotonic():
        rows = {policy.domain_id: policy for policy in FilterPolicy.objects.all()}
        _cache = (time.monotonic() + int(getattr(settings, "HOPTHU_DIRECTORY_CACHE_SECONDS", 5)), rows)
    return rows


def cached_policy(domain) -> FilterPolicy:
    """The domain's policy for the MX and delivery to read (treat it as read-only)."""
    rows = _policies()
    policy = rows.get(domain.pk)
    if policy is None:  # the defaults, kept too: building a model instance per message costs
        policy = rows.setdefault(domain.pk, FilterPolicy(domain=domain))
    return policy


def junk_score_of(domain_id: int) -> float:
    """The domain's junk_score from the cached view (the default when it has no policy)."""
    policy = _policies().get(domain_id)
    return policy.junk_score if policy is not None else FilterPolicy._meta.get_field("junk_score").default


def lowest_junk_score() -> float:
    """No copy of a message scoring below this goes to Junk, whatever its domain."""
    default = FilterPolicy._meta.get_field("junk_score").default
    return min([default, *(policy.junk_score for policy in _policies().values())])


def clear_cache(**_kwargs):
    global _cache
    _cache = (0.0, {})


post_save.connect(clear_cache, sender=FilterPolicy, dispatch_uid="filters.policy_cache_save")
post_delete.connect(clear_cache, sender=FilterPolicy, dispatch_uid="filters.policy_cache_delete")
