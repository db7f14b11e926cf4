"""Template helpers of the webmail lists."""
from django import template
from django.http import QueryDict
from django.utils import formats, timezone

from mailcore.directory.addresses import address_to_unicode
from webmail.sidebar import folder_label as label_of

register = template.Library()


@register.filter
def list_date(value):
    """Today's mail by its time, this year's by day and month, older by its full date."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    today = timezone.localdate()
    if local.date() == today:
        return formats.time_format(local, "TIME_FORMAT")
    if local.year == today.year:
        return formats.date_format(local, "MONTH_DAY_FORMAT")
    return formats.date_format(local, "SHORT_DATE_FORMAT")


@register.simple_tag(takes_context=True)
def list_query(context, **changes):
    """The current list's query string with some parameters changed (sort, dir, page)."""
    query = QueryDict(mutable=True)
    params = context.get("params") or {}
    base = {"sort": params.get("sort", "date"), "dir": "desc" if params.get("descending", True) else "asc"}
    if context.get("search_query"):
        base["q"] = context["search_query"]
    base.update({key: value for key, value in changes.items() if value is not None})
    for key, value in base.items():
        query[key] = str(value)
    return "?" + query.urlencode()


@register.simple_tag(takes_context=True)
def sort_link(context, column):
    """A column header's query: sorted by it, newest/largest first, or flipped if already."""
    params = context.get("params") or {}
    if params.get("sort") == column:
        direction = "asc" if params.get("descending", True) else "desc"
    else:
        direction = "asc" if column in ("from", "subject") else "desc"
    return list_query(context, sort=column, dir=direction, page=1)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def unicode_address(value):
    """Addresses as people read them: IDN domains in Unicode (punycode only in DNS)."""
    return address_to_unicode(value)


@register.filter
def folder_label(folder):
    """A folder as menus name it: Inbox and the special-use folders translated."""
    return label_of(folder)
