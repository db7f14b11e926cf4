"""RFC 5322 §3.6: exactly one From field (mime/originator.py), whatever else the header
holds; an mbox "From " line in the header is refused wherever it is."""
from hypothesis import given, settings
from hypothesis import strategies as st

from mailcore.mime.originator import OriginatorProblem, originator_problem

OTHER_FIELDS = st.sampled_from([b"To: b@example.test", b"Subject: From here", b"X-From: x@example.test",
                                b"Reply-To: r@example.test", b"Sender: s@example.test", b"Received: from a by b",
                                b"Subject: folded\r\n From the second line", b"Fromage: brie"])
FROM_FIELDS = st.sampled_from([b"From: a@example.test", b"FROM: a@example.test", b"from:a@example.test",
                               b"From : a@example.test", b"From: A\r\n <a@example.test>"])
EOL = st.sampled_from([b"\r\n", b"\n"])


@settings(deadline=None)  # a loaded machine is no bug
@given(st.lists(OTHER_FIELDS, max_size=6), st.lists(FROM_FIELDS, max_size=3), st.randoms(), EOL,
       st.binary(max_size=200))
def test_the_verdict_counts_the_from_fields_wherever_they_are(others, froms, random, eol, body):
    fields = others + froms
    random.shuffle(fields)
    raw = eol.join(field.replace(b"\r\n", eol) for field in fields) + eol + eol + b"From: " + body
    expected = {0: OriginatorProblem.NO_FROM, 1: None}.get(len(froms), OriginatorProblem.SEVERAL_FROM)
    assert originator_problem(raw) == expected


@settings(deadline=None)  # a loaded machine is no bug
@given(st.lists(OTHER_FIELDS, max_size=4), st.integers(min_value=0, max_value=4))
def test_an_mbox_line_anywhere_in_the_header_is_found(others, position):
    fields = [b"From: a@example.test", *others]
    fields.insert(min(position, len(fields)), b"From a@example.test Mon Jan  1 00:00:00 2024")
    assert originator_problem(b"\r\n".join(fields) + b"\r\n\r\nbody\r\n") == OriginatorProblem.MBOX_FROM_LINE


def test_a_message_without_a_body_or_a_blank_line_is_read_to_its_end():
    assert originator_problem(b"From: a@example.test\r\nFrom: b@example.test") == OriginatorProblem.SEVERAL_FROM
    assert originator_problem(b"From: a@example.test") is None
    assert originator_problem(b"") == OriginatorProblem.NO_FROM


@settings(deadline=None)  # a loaded machine is no bug
@given(st.binary(max_size=400))
def test_any_bytes_get_a_verdict(raw):
    assert originator_problem(raw) in (None, *OriginatorProblem)
