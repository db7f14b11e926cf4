"""How the API's lists are paged (its own module: DRF's settings import it early)."""
from rest_framework.pagination import LimitOffsetPagination


class Pages(LimitOffsetPagination):
    """?limit= (at most 100) and ?offset=; the answer says count, next and previous."""

    default_limit = 100
    max_limit = 100
