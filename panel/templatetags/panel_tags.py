"""Template helpers shared by the panel's lists."""
from django import template
from django.utils.html import format_html

from mailcore.directory.addresses import address_to_unicode
from panel.idn import unicode_names as to_unicode

register = template.Library()


@register.simple_tag
def sort_header(listing, key, label):
    """A column header that sorts the list by `key`, with aria-sort for screen readers."""
    state = listing.sort_state(key)
    arrow = {"ascending": " ▲", "descending": " ▼"}.get(state, "")
    return format_html('<th scope="col" aria-sort="{}"><a href="{}">{}{}</a></th>',
                       state, listing.sort_url(key), label, arrow)


@register.simple_tag
def list_url(listing, **changes):
    return listing.url(**changes)


@register.filter
def percent(part, whole):
    """0–100 for a usage bar; 0 when there is no limit."""
    try:
        return min(100, round(100 * int(part) / int(whole))) if whole else 0
    except (TypeError, ValueError, ZeroDivisionError):
        return 0


@register.filter
def width_class(percentage):
    """The .w-N class (N a multiple of 5) nearest a 0–100 value: bars without inline style."""
    try:
        return f"w-{min(100, max(0, 5 * round(float(percentage) / 5)))}"
    except (TypeError, ValueError):
        return "w-0"


@register.filter
def unicode_address(value):
    """An address (or a domain name) as people read it: IDN domains in Unicode."""
    return address_to_unicode(value)


@register.filter
def unicode_names(value):
    """Addresses or domain names (a string or a list) with IDNA names shown in Unicode."""
    if isinstance(value, list | tuple):
        return ", ".join(to_unicode(item) for item in value)
    return to_unicode(value)
