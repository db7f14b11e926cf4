"""Reply in Chromium (issue 17 points 1 and 2): a message dated "-0000" (RFC 5322 §3.3,
what Python's formatdate writes) from a sender named in an RFC 2047 encoded-word opens,
`r` opens the reply, and the To field and the quote line show the name decoded."""
import re

import pytest

from tests.webmail.reading.mails import put

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

RAW = (b"From: =?utf-8?b?UGjhuqFtIE1pbmg=?= <minh@partner.test>\r\nTo: alice@example.test\r\n"
       b"Subject: =?utf-8?q?B=C3=A1o_gi=C3=A1_qu=C3=BD_4?=\r\nDate: Tue, 03 Nov 2026 09:15:00 -0000\r\n"
       b"Message-ID: <q4@partner.test>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
       b"Anh xem b\xc3\xa1o gi\xc3\xa1 nh\xc3\xa9.\r\n")


def test_rfc5322_3_3_r_on_a_minus_0000_message_from_an_encoded_name_opens_the_reply(alice_page, alice):
    page = alice_page
    page.set_viewport_size({"width": 1366, "height": 800})
    folder_id, uid = put(alice, RAW)
    page.goto(f"/mail/folder/{folder_id}/{uid}/")
    assert page.locator(".rd-from").inner_text() == "Phạm Minh <minh@partner.test>"
    page.keyboard.press("r")
    page.wait_for_url(re.compile(rf"/mail/folder/{folder_id}/{uid}/reply/$"))
    assert page.locator("input[name=to]").input_value() == "Phạm Minh <minh@partner.test>"
    assert page.locator("input[name=subject]").input_value() == "Re: Báo giá quý 4"
    body = page.locator("textarea[name=body]").input_value()
    assert "On Nov. 3, 2026, 9:15 a.m., Phạm Minh <minh@partner.test> wrote:\n> Anh xem báo giá nhé.\n" in body
    assert "=?" not in body
    page.screenshot(path="/tmp/hopthu-reply-minus-0000.png")
    assert page.errors == []
