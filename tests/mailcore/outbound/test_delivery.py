"""deliver(): the message reaches the domain's mail server, or says why not, host by host."""
from mailcore.delivery.outbound import deliver
from tests.mailcore.outbound.messages import message


def test_it_delivers_through_the_mx(sink, publish_mx):
    remote = sink()
    publish_mx("example.net", (10, "mx1.example.net", "127.0.0.1"))
    results = deliver("example.net", "alice@example.test", ["bob@example.net", "carol@example.net"], message())
    assert all(r.delivered and r.code == 250 and r.host == "mx1.example.net" for r in results.values())
    assert list(results) == ["bob@example.net", "carol@example.net"]
    [received] = remote.messages
    assert received.helo == "mail.example.test"
    assert received.mail_from == "alice@example.test"
    assert received.rcpt_tos == ["bob@example.net", "carol@example.net"]
    assert received.content.rstrip(b"\r\n") == message().rstrip(b"\r\n")


def test_bare_line_feeds_never_reach_the_wire(sink, publish_mx):
    remote = sink()
    publish_mx("example.net", (10, "mx1.example.net", "127.0.0.1"))
    raw = b"From: alice@example.test\nSubject: lf\n\nline one\n.dot line\rline three\r\n"
    assert deliver("example.net", "alice@example.test", ["bob@example.net"], raw)["bob@example.net"].delivered
    content = remote.messages[0].content
    assert content == b"From: alice@example.test\r\nSubject: lf\r\n\r\nline one\r\n.dot line\r\nline three\r\n"


def test_it_falls_back_to_the_next_mx_when_the_first_refuses_connections(sink, publish_mx):
    remote = sink("127.0.0.1")
    # Nothing listens on 127.0.0.2 at the sink's port: the connection is refused.
    publish_mx("example.net", (10, "mx1.example.net", "127.0.0.2"), (20, "mx2.example.net", "127.0.0.1"))
    results = deliver("example.net", "alice@example.test", ["bob@example.net"], message())
    assert results["bob@example.net"].delivered
    assert results["bob@example.net"].host == "mx2.example.net"
    assert len(remote.messages) == 1


def test_a_host_that_answers_421_is_left_for_the_next(sink, publish_mx):
    busy = sink("127.0.0.1")
    busy.mail_reply = "421 4.3.2 Too busy, closing"
    spare = sink("127.0.0.3")
    publish_mx("example.net", (10, "mx1.example.net", "127.0.0.1"), (20, "mx2.example.net", "127.0.0.3"))
    results = deliver("example.net", "alice@example.test", ["bob@example.net"], message())
    assert results["bob@example.net"].delivered
    assert (busy.messages, len(spare.messages)) == ([], 1)


def test_no_host_answering_is_a_temporary_failure(sink, publish_mx):
    sink("127.0.0.1")  # only to fix the port
    publish_mx("example.net", (10, "mx1.example.net", "127.0.0.2"), (20, "mx2.example.net", "127.0.0.4"))
    result = deliver("example.net", "alice@example.test", ["bob@example.net"], message())["bob@example.net"]
    assert result.temporary and not result.delivered
    assert result.enhanced == "4.4.1"
    assert result.host == "mx2.example.net"


def test_it_delivers_to_the_domain_itself_without_mx(sink, dns_server):
    remote = sink()
    dns_server.add("example.net", "A", "127.0.0.1")
    assert deliver("example.net", "", ["bob@example.net"], message())["bob@example.net"].delivered
    assert remote.messages[0].mail_from == "<>"  # the null reverse-path, as aiosmtpd reports it


def test_a_null_mx_fails_every_recipient_permanently(dns_server):
    dns_server.add("example.net", "MX", "0 .")
    results = deliver("example.net", "alice@example.test", ["bob@example.net", "carol@example.net"], message())
    assert {(r.code, r.enhanced, r.permanent) for r in results.values()} == {(556, "5.1.10", True)}


def test_a_dns_failure_is_a_temporary_failure(dns_server):
    dns_server.fail("example.net")
    result = deliver("example.net", "alice@example.test", ["bob@example.net"], message())["bob@example.net"]
    assert result.temporary
    assert result.enhanced == "4.4.3"
