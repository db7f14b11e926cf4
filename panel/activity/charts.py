"""Server-side SVG bar charts of daily counts: no JavaScript, no library, no inline style.

The strict CSP (style-src 'self') forbids style="" attributes, not SVG presentation
attributes, so colours are fill= attributes. Each chart is an <svg role="img"> named by
its <title> and summarised by its <desc>; every bar has its own <title> (the day and the
count) for pointer users, and the page shows the same numbers in a table for everyone.
ElementTree builds the markup, so text is always escaped and the XML always well formed.
"""
from datetime import date
from xml.etree import ElementTree

from django.utils.formats import date_format
from django.utils.safestring import mark_safe

SVG_NS = "http://www.w3.org/2000/svg"
WIDTH, HEIGHT = 640, 180
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 10, 24  # room for the axis labels
COLOURS = {"received": "#1f6feb", "sent": "#1a7f37", "bounced": "#9a6700", "rejected": "#cf222e",
           "spam": "#8250df", "virus": "#57606a", "policy": "#bc4c00"}


def _sub(parent, tag, text=None, **attributes):
    element = ElementTree.SubElement(parent, tag, {key.replace("_", "-"): str(value)
                                                   for key, value in attributes.items()})
    if text is not None:
        element.text = str(text)
    return element


def nice_top(largest: int) -> int:
    """A round upper bound for the y axis (1, 2, 5 × 10ⁿ), at least 1."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if largest <= step * factor:
                return step * factor
        step *= 10


def bar_chart(key: str, title: str, description: str, days: list[date], values: list[int]) -> str:
    """One kind's daily counts as an accessible SVG bar chart (markup safe to include)."""
    top = nice_top(max(values, default=0))
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_width / max(len(values), 1)
    svg = ElementTree.Element("svg", {"xmlns": SVG_NS, "viewBox": f"0 0 {WIDTH} {HEIGHT}", "role": "img",
                                      "class": "chart", "aria-labelledby": f"chart-{key}-title chart-{key}-desc"})
    _sub(svg, "title", title, id=f"chart-{key}-title")
    _sub(svg, "desc", description, id=f"chart-{key}-desc")
    axis = _sub(svg, "g", font_size=11, fill="#57606a", aria_hidden="true")
    for value in (0, top // 2, top) if top > 1 else (0, top):
        y = TOP + plot_height - plot_height * value / top
        _sub(axis, "line", x1=LEFT, x2=WIDTH - RIGHT, y1=f"{y:.1f}", y2=f"{y:.1f}", stroke="#d8dee4")
        _sub(axis, "text", value, x=LEFT - 6, y=f"{y + 4:.1f}", text_anchor="end")
    for index in sorted({0, len(days) // 2, len(days) - 1}) if days else ():
        _sub(axis, "text", date_format(days[index], "SHORT_DATE_FORMAT"), x=f"{LEFT + slot * (index + .5):.1f}",
             y=HEIGHT - 6, text_anchor="middle")
    bars = _sub(svg, "g", fill=COLOURS.get(key, "#1f6feb"))
    for index, (day, value) in enumerate(zip(days, values, strict=True)):
        height = plot_height * value / top
        bar = _sub(bars, "rect", x=f"{LEFT + slot * index + 1:.1f}", y=f"{TOP + plot_height - height:.1f}",
                   width=f"{max(slot - 2, 1):.1f}", height=f"{height:.1f}")
        _sub(bar, "title", f"{date_format(day, 'SHORT_DATE_FORMAT')}: {value}")
    return mark_safe(ElementTree.tostring(svg, encoding="unicode"))  # noqa: S308 (built and escaped by ElementTree)
