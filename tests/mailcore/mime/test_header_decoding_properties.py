"""Properties of the header decoders every page shows values through (issue 17):
decode_words, parse_date and address_list never raise, give text a page can show, and
dates any time zone can convert and format. Dates Python's formatdate writes ("-0000",
RFC 5322 §3.3) read back as the same instant."""
import zoneinfo
from datetime import UTC, datetime
from email.utils import format_datetime, formatdate

from django.utils import formats
from django.utils.timezone import localtime
from hypothesis import given, settings
from hypothesis import strategies as st

from mailcore.mime.fields import parse_fields
from mailcore.mime.headers import address_list, decode_words, display_address, header_date, parse_date
from tests.webmail.header_values import address_lists, dates, encoded_words, hostile_headers, raw_message

# The zones furthest from UTC either way, and one in between.
ZONES = [zoneinfo.ZoneInfo(name) for name in ("Pacific/Kiritimati", "Etc/GMT+12", "Asia/Ho_Chi_Minh")]


def _shown(text: str) -> None:
    assert isinstance(text, str)
    assert "\x00" not in text and "\r" not in text and "\n" not in text
    text.encode("utf-8")  # no lone surrogate: the page, the database and JSON all take it


@settings(max_examples=300)
@given(st.one_of(encoded_words(), st.binary(max_size=80)), st.sampled_from(["utf-8", "latin-1"]))
def test_rfc2047_decode_words_never_raises_and_gives_one_line_of_text(value, charset):
    _shown(decode_words(value.decode(charset, "replace")))


@settings(max_examples=300)
@given(address_lists())
def test_rfc5322_3_4_address_lists_decode_to_names_and_addresses_a_page_can_show(value):
    headers = parse_fields(b"To: " + value + b"\r\n\r\n")
    for name, address in address_list(headers, "to"):
        _shown(name)
        _shown(display_address(name, address))


@settings(max_examples=300)
@given(dates())
def test_rfc5322_3_3_a_date_is_aware_or_none_and_every_zone_can_show_it(value):
    parsed = parse_date(value.decode("utf-8", "replace"))
    if parsed is None:
        return
    assert parsed.tzinfo is not None and parsed.utcoffset() is not None
    for zone in ZONES:
        formats.date_format(localtime(parsed, zone), "DATETIME_FORMAT")


@given(st.datetimes(min_value=datetime(1970, 1, 2), max_value=datetime(9998, 12, 30)),
       st.booleans())
def test_rfc5322_3_3_minus_0000_as_formatdate_writes_it_is_the_same_instant(moment, local):
    moment = moment.replace(microsecond=0, tzinfo=UTC)
    written = formatdate(moment.timestamp(), localtime=local) if moment.year < 3000 else \
        format_datetime(moment.replace(tzinfo=None))  # naive: "-0000" as well
    assert written.endswith("-0000") or local
    assert parse_date(written) == moment


@settings(max_examples=100)
@given(hostile_headers())
def test_the_summary_fields_of_hostile_headers_can_be_shown(fields):
    headers = parse_fields(raw_message(fields))
    _shown(decode_words(headers.get("subject")))
    for name in ("from", "to", "cc", "reply-to"):
        for display, address in address_list(headers, name):
            _shown(display_address(display, address))
    date = header_date(headers)
    assert date is None or date.tzinfo is not None
