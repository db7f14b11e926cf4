"""The statistics page: daily counts as SVG charts and a table, for the admin's domains only."""
from datetime import timedelta
from xml.etree import ElementTree

from django.urls import reverse
from django.utils import timezone

from mailcore.stats.counts import count
from panel.activity.charts import bar_chart, nice_top

URL = reverse("panel:stats")
SVG = "{http://www.w3.org/2000/svg}"


def charts(response) -> dict:
    return {chart["kind"]: chart for chart in response.context["charts"]}


def test_a_domain_admin_sees_only_their_domains_counts(owner_client, domain, other_domain):
    count("example.test", "received", 3)
    count("example.org", "received", 100)
    count("example.org", "spam", 7)
    response = owner_client.get(URL)
    assert charts(response)["received"]["total"] == 3
    assert "spam" not in charts(response)  # example.org's spam is not theirs
    # Asking for another domain shows their own again, not example.org's.
    assert charts(owner_client.get(URL, {"domain": "example.org"}))["received"]["total"] == 3


def test_a_superadmin_sees_all_or_one_domain(super_client, domain, other_domain):
    count("example.test", "sent", 2)
    count("example.org", "sent", 5)
    assert charts(super_client.get(URL))["sent"]["total"] == 7
    assert charts(super_client.get(URL, {"domain": "example.org"}))["sent"]["total"] == 5


def test_the_last_thirty_days_are_shown_day_by_day(super_client, domain):
    today = timezone.now().date()
    count("example.test", "bounced", 4, day=today - timedelta(days=29))
    count("example.test", "bounced", 9, day=today - timedelta(days=30))  # one day too old
    response = super_client.get(URL)
    assert charts(response)["bounced"]["total"] == 4
    table = response.context["table"]
    assert len(table) == 30 and table[0][0] == today and table[-1][0] == today - timedelta(days=29)


def test_each_chart_is_valid_svg_with_a_title_and_one_bar_per_day(super_client, domain):
    count("example.test", "rejected", 12)
    page = super_client.get(URL).content.decode()
    start = page.index('<svg xmlns="http://www.w3.org/2000/svg"')
    svg = ElementTree.fromstring(page[start:page.index("</svg>", start) + len("</svg>")])
    assert svg.get("role") == "img"
    assert svg.find(f"{SVG}title").text == "received"
    bars = svg.findall(f".//{SVG}rect")
    assert len(bars) == 30 and all(bar.find(f"{SVG}title") is not None for bar in bars)
    assert 'style="' not in page[start:]  # the CSP's style-src forbids style attributes


def test_a_chart_escapes_its_text_and_scales_to_the_largest_day():
    day = timezone.now().date()
    svg = ElementTree.fromstring(bar_chart("x", "<b>&", "desc", [day, day], [0, 7]))
    assert svg.find(f"{SVG}title").text == "<b>&"
    heights = [float(rect.get("height")) for rect in svg.iter(f"{SVG}rect")]
    assert heights[0] == 0 and heights[1] > 0
    assert [nice_top(n) for n in (0, 1, 3, 7, 11, 999)] == [1, 1, 5, 10, 20, 1000]
