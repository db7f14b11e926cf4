"""Hypothesis strategies for the header values real and hostile mail carries (issue 17):
dates in every legal (RFC 5322 §3.3) and obsolete or illegal form (§4.3), addresses with
and without names, groups (§3.4), RFC 2047 encoded-words in any charset (known, unknown,
broken, RFC 2231 §5 languages), raw 8-bit UTF-8 and Latin-1, overlong and folded values.

Each strategy gives the value as bytes, ready to follow "Name: " in a raw message.
"""
import base64
import quopri

from hypothesis import strategies as st

CHARSETS = ["utf-8", "UTF-8", "iso-8859-1", "windows-1258", "koi8-r", "shift_jis", "gb2312", "utf-16",
            "utf-8*vi", "x-no-such-charset", "", "hex", "unicode-escape", "utf-7"]
ZONES = ["-0000", "+0000", "+0700", "-1200", "+1400", "+9999", "-2400", "EST", "EDT", "CST", "PDT", "GMT",
         "UT", "UTC", "Z", "A", "M", "N", "Y", "J", "ICT", "", "(GMT)", "+07", "+0700 (ICT)"]
MONTHS = ["Jan", "Feb", "Nov", "Dec", "jan", "NOV", "November", "Foo", ""]
GARBAGE_DATES = [b"", b" ", b"garbage", b"0", b"-0000", b"Tue, 31 Feb 2026 25:61:61 +0000",
                 b"Fri, 31 Dec 9999 23:59:59 -1200", b"Mon, 01 Jan 0001 00:00:00 +1400",
                 b"2026-11-03T09:15:00Z", b"Tue Nov  3 09:15:00 2026", b"1762161300",
                 b"Tue, 03 Nov 2026 09:15:00 +0000 +0000", b"=?utf-8?q?Tue=2C_03_Nov_2026?=",
                 b"Tue, 03 Nov 99999999999999999999 09:15:00 +0000", b"\xff\xfe\x00"]

# Characters a name may hold, hostile ones first: RFC 5322 specials, quotes, backslash,
# encoded-word markers, controls, combining marks, right-to-left, surrogate-free astral.
NAME_CHARS = st.one_of(
    st.sampled_from([*',;:<>@"\\()[].=?_ \t', "ạ", "ễ", "Đ", "é", "ñ", "ß", "中", "😀", "\u202e", "\u0301",
                     "\x7f", "\x01", "\u2028", "\ufeff"]),
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n\x00"),
)
NAMES = st.text(NAME_CHARS, max_size=40)
ATOM = st.text(st.sampled_from("abcxyz019.-_+"), min_size=1, max_size=12)


def _encoded(text: str, charset: str, kind: str, broken: bool) -> bytes:
    try:
        octets = text.encode(charset.partition("*")[0] or "utf-8")
    except (LookupError, UnicodeError):
        octets = text.encode("utf-8")
    if kind in "bB":
        payload = base64.b64encode(octets)
        payload = payload[:-1] if broken and payload else payload
    else:
        payload = quopri.encodestring(octets, header=True).replace(b"\n", b"")
        payload = payload + b"=F" if broken else payload
    return b"=?" + charset.encode() + b"?" + kind.encode() + b"?" + payload + b"?="


@st.composite
def encoded_words(draw) -> bytes:
    """One or more RFC 2047 encoded-words, sometimes broken or in an unknown charset."""
    words = draw(st.lists(st.tuples(NAMES, st.sampled_from(CHARSETS), st.sampled_from("bBqQx"), st.booleans()),
                          min_size=1, max_size=3))
    separator = draw(st.sampled_from([b" ", b"", b"\r\n ", b"\r\n\t"]))
    return separator.join(_encoded(*word) for word in words)


def _raw_name(name: str, encoding: str) -> bytes:
    return name.encode(encoding, "replace")


@st.composite
def display_names(draw) -> bytes:
    """A phrase as mailers write it: atoms, quoted, encoded, raw 8-bit, or a mixture."""
    name = draw(NAMES)
    form = draw(st.sampled_from(["plain", "quoted", "encoded", "quoted-encoded", "utf-8", "latin-1", "comment"]))
    if form == "plain":
        return name.encode("ascii", "replace")
    if form == "quoted":
        return b'"' + name.replace("\\", "\\\\").replace('"', '\\"').encode("ascii", "replace") + b'"'
    if form == "encoded":
        return draw(encoded_words())
    if form == "quoted-encoded":
        return b'"' + draw(encoded_words()) + b'"'
    if form == "comment":
        return b"(" + name.encode("utf-8") + b")"
    return _raw_name(name, form)


@st.composite
def mailboxes(draw) -> bytes:
    local = draw(st.one_of(ATOM, st.sampled_from(['"a b"', '"q\\"x"', "Minh", "ph\u1ea1m", ""])))
    domain = draw(st.one_of(ATOM, st.sampled_from(["partner.test", "[127.0.0.1]", "", "xn--p-q.test", "đ.test"])))
    addr_spec = f"{local}@{domain}".encode() if draw(st.booleans()) or not local else local.encode()
    shape = draw(st.sampled_from(["bare", "angle", "named", "named-nospace", "legacy-comment"]))
    if shape == "bare":
        return addr_spec
    if shape == "angle":
        return b"<" + addr_spec + b">"
    if shape == "legacy-comment":
        return addr_spec + b" (" + draw(display_names()) + b")"
    return draw(display_names()) + (b" <" if shape == "named" else b"<") + addr_spec + b">"


@st.composite
def address_lists(draw) -> bytes:
    """A list of mailboxes and groups (RFC 5322 §3.4), with the odd stray separator."""
    items = []
    for _index in range(draw(st.integers(0, 4))):
        if draw(st.integers(0, 4)) == 0:
            members = draw(st.lists(mailboxes(), max_size=3))
            items.append(draw(display_names()) + b": " + b", ".join(members) + b";")
        else:
            items.append(draw(mailboxes()))
    joiner = draw(st.sampled_from([b", ", b",", b" , ", b";", b",\r\n "]))
    return joiner.join(items)


@st.composite
def dates(draw) -> bytes:
    """RFC 5322 §3.3 dates, obsolete ones (§4.3: zones, two- and three-digit years) and junk."""
    if draw(st.integers(0, 4)) == 0:
        return draw(st.one_of(st.sampled_from(GARBAGE_DATES), st.binary(max_size=40).filter(
            lambda value: b"\r" not in value and b"\n" not in value)))
    weekday = draw(st.sampled_from(["Tue, ", "Mon, ", "", "Xyz, ", "Tue "]))
    day = draw(st.one_of(st.integers(1, 28), st.integers(0, 40)))
    year = draw(st.one_of(st.integers(1970, 2100), st.integers(0, 99), st.integers(100, 999),
                          st.integers(1000, 9999), st.integers(10000, 10**8)))
    hour, minute, second = draw(st.integers(0, 24)), draw(st.integers(0, 60)), draw(st.integers(0, 61))
    clock = f"{hour:02}:{minute:02}" + (f":{second:02}" if draw(st.booleans()) else "")
    month = draw(st.one_of(st.sampled_from(["Jan", "Jun", "Nov", "Dec"]), st.sampled_from(MONTHS)))
    text = f"{weekday}{day} {month} {year} {clock} {draw(st.sampled_from(ZONES))}"
    return text.strip().encode()


def folded(value: bytes, draw) -> bytes:
    """Fold at some spaces (RFC 5322 §2.2.3), and sometimes make the value overlong."""
    if draw(st.booleans()):
        value = value.replace(b" ", b"\r\n ", draw(st.integers(0, 3)))
    if draw(st.integers(0, 9)) == 0:
        value = value * draw(st.integers(20, 200))  # past 998 octets (RFC 5322 §2.1.1)
    return value


@st.composite
def hostile_headers(draw) -> dict[str, bytes]:
    """A header block's worth of hostile values, by field name."""
    return {
        "From": folded(draw(address_lists()), draw),
        "To": folded(draw(address_lists()), draw),
        "Cc": folded(draw(address_lists()), draw),
        "Reply-To": folded(draw(address_lists()), draw),
        "Date": folded(draw(dates()), draw),
        "Subject": folded(draw(st.one_of(encoded_words(), display_names())), draw),
        "Message-ID": draw(st.sampled_from([b"<a@b>", b"", b"<>", b"no brackets", b"<\xff@x>", b"<a@b> <c@d>"])),
        "References": draw(st.sampled_from([b"<a@b> <c@d>", b"", b"<<<", b"=?utf-8?q?x?="])),
    }


def raw_message(fields: dict[str, bytes], body: bytes = b"Hello.\r\n") -> bytes:
    head = b"".join(name.encode() + b": " + value + b"\r\n" for name, value in fields.items() if value is not None)
    return head + b"Content-Type: text/plain; charset=utf-8\r\n\r\n" + body
