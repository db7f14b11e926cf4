"""Each hosted domain's filter policy, or the defaults for a domain that never changed it."""
from .models import FilterPolicy


def policy_for(domain) -> FilterPolicy:
    """The domain's FilterPolicy; an unsaved one with the defaults if it has none."""
    policy = FilterPolicy.objects.filter(domain=domain).first()
    return policy if policy is not None else FilterPolicy(domain=domain)


def blocked_extensions(policy: FilterPolicy) -> set[str]:
    return {word.strip(".").lower() for word in policy.blocked_extensions.replace(",", " ").split() if word}


def blocked_types(policy: FilterPolicy) -> set[str]:
    return {word.lower() for word in policy.blocked_types.replace(",", " ").split() if word}
