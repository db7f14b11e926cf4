"""{% icon "name" %}: an icon of the webmail's SVG sprite (static/webmail/icons.svg).

Icons are drawn with SVG rather than emoji or symbol characters: a 📎 or ★ depends on the
fonts of the reader's machine (an empty box where no emoji font is installed) and takes the
text colour only sometimes. The sprite is one cached file; each icon is a <use> of it, so
it follows the text's colour (stroke="currentColor" in webmail.css) and size.

An icon is decoration: aria-hidden, with the meaning carried by the text beside it (a
label, or a visually hidden one where only the icon shows).
"""
import re

from django import template
from django.templatetags.static import static
from django.utils.html import format_html

register = template.Library()

SPRITE = "webmail/icons.svg"
_NAME = re.compile(r"^[a-z][a-z0-9-]*$")


@register.simple_tag
def icon(name, extra_class=""):
    if not _NAME.match(name):
        raise template.TemplateSyntaxError(f"not an icon name: {name!r}")
    classes = f"icon icon-{name} {extra_class}".strip()
    return format_html('<svg class="{}" aria-hidden="true" focusable="false"><use href="{}#{}"></use></svg>',
                       classes, static(SPRITE), name)
