"""The Bayesian tokenizer: decoded headers, accents folded, HTML read as text, URL domains,
and a bounded cost however big the message."""
from email.message import EmailMessage

from mailcore.filters.bayes_tokens import MAX_TOKENS, fold, hash_token, token_ids, tokenize


def message(body="", subject="Hello", sender="An <an@congty.vn>", html=None, headers=()):
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "alice@example.test"
    msg["Subject"] = subject
    for name, value in headers:
        msg[name] = value
    if html is not None:
        msg.set_content(html, subtype="html")
    else:
        msg.set_content(body)
    return msg.as_bytes()


def test_fold_drops_vietnamese_tone_marks_and_the_stroked_d():
    assert fold("hóa đơn") == "hoa don"
    assert fold("Đà Nẵng") == "Da Nang"
    assert fold("plain") == "plain"


def test_words_keep_their_accents_and_add_the_folded_form():
    tokens = tokenize(message("Khuyến mãi hôm nay"))
    assert {"khuyến", "khuyen", "mãi", "mai", "hôm", "hom"} <= set(tokens)
    assert "khuyen mai" in tokens  # the pair: a syllable alone says little in Vietnamese


def test_an_unaccented_message_shares_tokens_with_the_accented_one():
    accented, plain = set(tokenize(message("Vay tiền nhanh"))), set(tokenize(message("Vay tien nhanh")))
    assert {"tien", "vay tien", "tien nhanh"} <= accented & plain


def test_encoded_subject_and_sender_name_are_decoded_and_prefixed():
    tokens = tokenize(message("hi", subject="Trúng thưởng lớn", sender="Ban Tổ Chức <win@prize.example>"))
    assert {"subject:trúng", "subject:trung", "subject:thuong"} <= set(tokens)
    assert {"from:name:chức", "from:name:chuc", "from:addr:win@prize.example",
            "from:domain:prize.example"} <= set(tokens)
    assert "trúng" not in tokens  # a subject word is not a body word


def test_html_gives_its_visible_text_and_link_domains_not_its_markup():
    html = ('<html><head><style>.x{color:red}</style></head><body><p>Nhận <b>quà</b> ngay</p>'
            '<a href="https://claim.prize.example.xyz/go?id=1"><img src="http://10.0.0.7/a.png"></a></body></html>')
    tokens = set(tokenize(message(html=html)))
    assert {"nhận", "quà", "qua", "ngay", "html-only", "html:img"} <= tokens
    assert {"url:claim.prize.example.xyz", "url:example.xyz", "url:10.0.0.7", "url:ip-address"} <= tokens
    assert not {"color", "href", "style", "img", "red"} & tokens


def test_authentication_results_count_but_our_own_spam_headers_do_not():
    raw = message("hi", headers=[("Authentication-Results", "mx.example.test; spf=fail smtp.mailfrom=x; dmarc=fail"),
                                 ("X-Spam-Flag", "YES"), ("X-Spam-Score", "12.5 spamword")])
    tokens = tokenize(raw)
    assert {"auth:spf=fail", "auth:dmarc=fail"} <= set(tokens)
    assert not any("spamword" in token or token == "yes" for token in tokens)


def test_long_numbers_and_long_runs_become_shapes():
    tokens = tokenize(message("Call 0912345678 now " + "a" * 60))
    assert "digits:10" in tokens and "0912345678" not in tokens
    assert "skip:a60" in tokens


def test_a_huge_message_gives_a_bounded_number_of_tokens():
    body = " ".join(f"word{i}" for i in range(200_000))
    tokens = tokenize(message(body))
    assert len(tokens) == MAX_TOKENS


def test_a_message_counts_each_token_once_as_a_63_bit_hash():
    ids = token_ids(message("spam spam spam spam"))
    assert len(ids) == len(set(ids))
    assert all(0 <= token < 2**63 for token in ids)
    assert hash_token("spam") == hash_token("spam") != hash_token("Spam")


def test_hostile_mime_never_raises():
    raw = (b"From: \xff\xfe\r\nSubject: =?x-unknown?b?!!!?=\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
           b"--b\r\nContent-Type: text/html; charset=hex\r\nContent-Transfer-Encoding: base64\r\n\r\n@@@\r\n--b")
    assert isinstance(tokenize(raw), list)
