"""What the remote server says, recipient by recipient, becomes each recipient's Result."""
from mailcore.delivery.outbound import deliver
from tests.mailcore.outbound.messages import message

RECIPIENTS = ["ok@example.net", "gone@example.net", "full@example.net", "fine@example.net"]


def deliver_to(remote_setup, sink, publish_mx, recipients=RECIPIENTS, raw=None):
    remote = sink()
    remote_setup(remote)
    publish_mx("example.net", (10, "mx1.example.net", "127.0.0.1"))
    return remote, deliver("example.net", "alice@example.test", recipients, raw or message())


def refuse_some(remote):
    remote.rcpt_replies["gone@example.net"] = "550 5.1.1 No such user"
    remote.rcpt_replies["full@example.net"] = "450 4.2.2 Mailbox full, try later"


def test_each_recipient_is_accepted_or_refused_on_its_own(sink, publish_mx):
    remote, results = deliver_to(refuse_some, sink, publish_mx)
    assert list(results) == RECIPIENTS
    gone, full = results["gone@example.net"], results["full@example.net"]
    assert (gone.code, gone.enhanced, gone.text, gone.permanent) == (550, "5.1.1", "No such user", True)
    assert (full.code, full.enhanced, full.temporary) == (450, "4.2.2", True)
    assert results["ok@example.net"].delivered and results["fine@example.net"].delivered
    assert remote.messages[0].rcpt_tos == ["ok@example.net", "fine@example.net"]


def test_no_data_is_sent_when_every_recipient_is_refused(sink, publish_mx):
    remote, results = deliver_to(refuse_some, sink, publish_mx, ["gone@example.net", "full@example.net"])
    assert remote.messages == []
    assert not any(r.delivered for r in results.values())


def test_a_permanent_refusal_of_the_data_fails_the_accepted_recipients(sink, publish_mx):
    def refuse_data(remote):
        refuse_some(remote)
        remote.data_reply = "554 5.7.1 Message rejected as spam"

    _remote, results = deliver_to(refuse_data, sink, publish_mx)
    for address in ("ok@example.net", "fine@example.net"):
        assert (results[address].code, results[address].enhanced, results[address].permanent) == (554, "5.7.1", True)
    assert results["gone@example.net"].code == 550  # refused at RCPT: keeps its own reply
    assert results["full@example.net"].code == 450


def test_a_temporary_refusal_of_the_data_defers_the_accepted_recipients(sink, publish_mx):
    def defer_data(remote):
        remote.data_reply = "451 4.3.0 Local error, try again"

    _remote, results = deliver_to(defer_data, sink, publish_mx, ["ok@example.net"])
    result = results["ok@example.net"]
    assert (result.code, result.enhanced, result.temporary, result.delivered) == (451, "4.3.0", True, False)


def test_a_refused_sender_fails_every_recipient(sink, publish_mx):
    def refuse_sender(remote):
        remote.mail_reply = "550 5.7.1 Sender blocked"

    _remote, results = deliver_to(refuse_sender, sink, publish_mx, ["ok@example.net", "fine@example.net"])
    assert {(r.code, r.permanent) for r in results.values()} == {(550, True)}


def test_a_reply_without_enhanced_code_gets_the_generic_one(sink, publish_mx):
    def plain(remote):
        remote.rcpt_replies["gone@example.net"] = "550 Go away"

    _remote, results = deliver_to(plain, sink, publish_mx, ["gone@example.net"])
    assert (results["gone@example.net"].enhanced, results["gone@example.net"].text) == ("5.0.0", "Go away")


def test_a_message_over_the_servers_size_is_not_sent(sink, publish_mx):
    remote = sink(data_size_limit=1000)
    publish_mx("example.net", (10, "mx1.example.net", "127.0.0.1"))
    results = deliver("example.net", "alice@example.test", ["ok@example.net"], message(body="x" * 2000 + "\r\n"))
    result = results["ok@example.net"]
    assert (result.code, result.enhanced, result.permanent) == (552, "5.3.4", True)
    assert remote.messages == []


def test_the_size_is_declared_when_the_server_takes_it(sink, publish_mx):
    remote = sink(data_size_limit=100_000)
    publish_mx("example.net", (10, "mx1.example.net", "127.0.0.1"))
    raw = message()
    assert deliver("example.net", "alice@example.test", ["ok@example.net"], raw)["ok@example.net"].delivered
    assert f"SIZE={len(raw)}" in remote.messages[0].mail_options
