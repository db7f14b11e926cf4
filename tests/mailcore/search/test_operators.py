"""The search box's operators (store/search/operators.py) against real stored mail."""
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from mailcore.store.append import append
from mailcore.store.models import Message
from mailcore.store.search.operators import parse

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
ATTACHED = ("--b\r\nContent-Type: text/plain\r\n\r\n" + "x" * 3000 + "\r\n--b\r\nContent-Type: application/pdf\r\n"
            "Content-Disposition: attachment; filename=\"bao-cao.pdf\"\r\n\r\nJVBERi0xLjQK\r\n--b--")


@pytest.fixture
def mailbox(alice, build):
    def put(subject, body="Xin chào.", folder="INBOX", flags=(), when=None, **headers):
        raw = build(subject, body, **headers)
        return append(alice.pk, folder, raw, flags=flags, internal_date=when)

    put("Hóa đơn tháng 11", "Kính gửi quý khách.", sender="ketoan@congty.vn",
        when=dt.datetime(2026, 11, 2, 9, 0, tzinfo=HCM))
    put("Lịch họp", "Họp thứ Năm.", sender="an@example.test", flags=["\\Seen", "\\Flagged"],
        when=dt.datetime(2026, 10, 31, 23, 30, tzinfo=HCM))
    put("Báo cáo quý", ATTACHED, folder="Sent", to="giamdoc@congty.vn", flags=["\\Seen"],
        when=dt.datetime(2026, 9, 1, tzinfo=HCM),
        content_type='multipart/mixed; boundary="b"')
    return alice


def search(account, text):
    return set(parse(text, HCM).apply(Message.objects.all(), account.pk).values_list("subject", flat=True))


@pytest.mark.parametrize("text, subjects", [
    ("from:ketoan", {"Hóa đơn tháng 11"}),
    ('from:"an@example.test"', {"Lịch họp"}),
    ("to:giamdoc", {"Báo cáo quý"}),
    ("subject:hop", {"Lịch họp"}),
    ("hoa don", {"Hóa đơn tháng 11"}),
    ('"kinh gui"', {"Hóa đơn tháng 11"}),
    ("is:unread", {"Hóa đơn tháng 11"}),
    ("is:flagged", {"Lịch họp"}),
    ("is:read", {"Lịch họp", "Báo cáo quý"}),
    ("has:attachment", {"Báo cáo quý"}),
    ("in:sent", {"Báo cáo quý"}),
    ("in:INBOX is:read", {"Lịch họp"}),
    ("after:2026-11-01", {"Hóa đơn tháng 11"}),  # 1 November in Hồ Chí Minh City, not UTC
    ("before:2026-11-01", {"Lịch họp", "Báo cáo quý"}),
    ("after:2026/10/31 before:01/11/2026", {"Lịch họp"}),
    ("larger:2K", {"Báo cáo quý"}),
    ("smaller:2K", {"Hóa đơn tháng 11", "Lịch họp"}),
    ("re:hoa", set()),  # an unknown operator is text: "re" and "hoa" must both match
    ("", {"Hóa đơn tháng 11", "Lịch họp", "Báo cáo quý"}),
])
def test_operators_and_free_text(mailbox, text, subjects):
    assert search(mailbox, text) == subjects


@pytest.mark.parametrize("text, words", [
    ("before:yesterday", "before: yesterday is not a date"),
    ("larger:huge", "larger: huge is not a size"),
    ("is:shiny", "is: shiny is not something to search for"),
    ("in:Nowhere", "in: there is no folder named Nowhere"),
])
def test_bad_values_name_the_operator(mailbox, text, words):
    with pytest.raises(ValidationError) as error:
        search(mailbox, text)
    assert words in error.value.message_dict["q"][0]


def test_another_accounts_mail_is_never_found(mailbox, bob, build):
    append(bob.pk, "INBOX", build("Hóa đơn của Bob"))
    assert search(mailbox, "hoa don") == {"Hóa đơn tháng 11"}
    assert search(bob, "in:inbox") == {"Hóa đơn của Bob"}
