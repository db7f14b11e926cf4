"""deliver_many(): several messages for one destination share a connection."""
from mailcore.delivery.outbound import Job, deliver_many
from tests.mailcore.outbound.messages import message


def test_messages_for_one_destination_share_one_connection(sink, publish_mx):
    remote = sink()
    publish_mx("example.net", (10, "mx1.example.net", "127.0.0.1"))
    jobs = [Job("alice@example.test", [f"user{n}@example.net"], message(f"Message {n}")) for n in range(3)]
    results = deliver_many("example.net", jobs)
    assert [list(r) for r in results] == [["user0@example.net"], ["user1@example.net"], ["user2@example.net"]]
    assert all(r.delivered for batch in results for r in batch.values())
    assert len(remote.messages) == 3
    assert len({received.peer for received in remote.messages}) == 1  # one TCP connection
    assert [received.rcpt_tos for received in remote.messages] == [[f"user{n}@example.net"] for n in range(3)]


def test_a_refusal_does_not_spoil_the_next_transaction(sink, publish_mx):
    remote = sink()
    remote.rcpt_replies["gone@example.net"] = "550 5.1.1 No such user"
    publish_mx("example.net", (10, "mx1.example.net", "127.0.0.1"))
    results = deliver_many("example.net", [
        ("alice@example.test", ["gone@example.net"], message("First")),
        ("alice@example.test", ["bob@example.net"], message("Second")),
        ("alice@example.test", [], message("Nobody")),
    ])
    assert results[0]["gone@example.net"].permanent
    assert results[1]["bob@example.net"].delivered
    assert results[2] == {}
    assert [received.rcpt_tos for received in remote.messages] == [["bob@example.net"]]


def test_when_a_host_goes_away_the_rest_continue_on_the_next_host(sink, publish_mx):
    first = sink("127.0.0.1")
    second = sink("127.0.0.3")
    publish_mx("example.net", (10, "mx1.example.net", "127.0.0.1"), (20, "mx2.example.net", "127.0.0.3"))
    first.data_reply = "421 4.3.2 Shutting down"  # the first message is refused and the session ends
    results = deliver_many("example.net", [
        ("alice@example.test", ["bob@example.net"], message("One")),
        ("alice@example.test", ["carol@example.net"], message("Two")),
    ])
    assert results[0]["bob@example.net"].host == results[1]["carol@example.net"].host == "mx2.example.net"
    assert results[0]["bob@example.net"].delivered and results[1]["carol@example.net"].delivered
    assert [received.rcpt_tos for received in second.messages] == [["bob@example.net"], ["carol@example.net"]]
    assert len({received.peer for received in second.messages}) == 1


def test_every_job_gets_the_failure_when_no_host_answers(sink, publish_mx):
    sink("127.0.0.1")
    publish_mx("example.net", (10, "mx1.example.net", "127.0.0.2"))
    results = deliver_many("example.net", [("a@example.test", ["x@example.net"], message("A")),
                                           ("b@example.test", ["y@example.net", "z@example.net"], message("B"))])
    assert [sorted(r) for r in results] == [["x@example.net"], ["y@example.net", "z@example.net"]]
    assert all(r.temporary for batch in results for r in batch.values())
