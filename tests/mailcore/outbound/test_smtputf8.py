"""SMTPUTF8 and 8BITMIME: used when the message needs them, refused (5.6.7) when a server lacks SMTPUTF8."""
from mailcore.delivery.outbound import deliver
from tests.mailcore.outbound.messages import message

UTF8_HEADERS = message(subject="Hóa đơn tháng 11")  # RFC 6532: raw UTF-8 in a header


def send(sink, publish_mx, recipients, raw, mail_from="alice@example.test", **sink_options):
    remote = sink(**sink_options)
    publish_mx("example.net", (10, "mx1.example.net", "127.0.0.1"))
    return remote, deliver("example.net", mail_from, recipients, raw)


def test_a_message_with_utf8_headers_needs_smtputf8(sink, publish_mx):
    remote, results = send(sink, publish_mx, ["bob@example.net"], UTF8_HEADERS, smtputf8=True)
    assert results["bob@example.net"].delivered
    assert {"SMTPUTF8", "BODY=8BITMIME"} <= set(remote.messages[0].mail_options)
    assert "Hóa đơn".encode() in remote.messages[0].content


def test_it_fails_permanently_when_smtputf8_is_needed_but_not_offered(sink, publish_mx):
    remote, results = send(sink, publish_mx, ["bob@example.net", "carol@example.net"], UTF8_HEADERS,
                           smtputf8=False)
    assert {(r.code, r.enhanced, r.permanent) for r in results.values()} == {(553, "5.6.7", True)}
    assert remote.messages == []


def test_only_recipients_with_a_utf8_local_part_fail_without_smtputf8(sink, publish_mx):
    remote, results = send(sink, publish_mx, ["bob@example.net", "nguyễn@example.net"], message(), smtputf8=False)
    assert results["bob@example.net"].delivered
    assert results["nguyễn@example.net"].enhanced == "5.6.7"
    assert remote.messages[0].rcpt_tos == ["bob@example.net"]
    assert "SMTPUTF8" not in remote.messages[0].mail_options


def test_a_utf8_sender_needs_smtputf8(sink, publish_mx):
    _remote, results = send(sink, publish_mx, ["bob@example.net"], message(), mail_from="nguyễn@example.test",
                            smtputf8=False)
    assert results["bob@example.net"].enhanced == "5.6.7"


def test_a_utf8_local_part_is_sent_with_smtputf8_when_offered(sink, publish_mx):
    remote, results = send(sink, publish_mx, ["nguyễn@example.net"], message(), smtputf8=True)
    assert results["nguyễn@example.net"].delivered
    assert remote.messages[0].rcpt_tos == ["nguyễn@example.net"]
    assert "SMTPUTF8" in remote.messages[0].mail_options


def test_an_idn_domain_in_an_address_goes_as_its_a_label_without_smtputf8(sink, publish_mx):
    remote, results = send(sink, publish_mx, ["bob@bücher.example"], message(), smtputf8=False)
    assert results["bob@bücher.example"].delivered  # keyed as the queue gave it
    assert remote.messages[0].rcpt_tos == ["bob@xn--bcher-kva.example"]


def test_an_8bit_body_is_declared_with_8bitmime(sink, publish_mx):
    remote, results = send(sink, publish_mx, ["bob@example.net"], message(body="Xin chào\r\n"), smtputf8=False)
    assert results["bob@example.net"].delivered
    assert "BODY=8BITMIME" in remote.messages[0].mail_options
    assert "SMTPUTF8" not in remote.messages[0].mail_options
