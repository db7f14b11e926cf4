"""Reading order (mailcore/collation.py): Vietnamese collation with numbers by value, and
the stored byte keys that sort the same way in SQLite and PostgreSQL."""
import random
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from mailcore.collation import KEY_CHARS, address_key, sort_key, stored_key


def in_order(words):
    return sorted(words, key=sort_key)


def test_numbers_compare_by_value():
    assert in_order(["u10", "u2", "u1", "u100", "u20"]) == ["u1", "u2", "u10", "u20", "u100"]
    assert in_order(["Hóa đơn 12", "Hóa đơn 3", "Hóa đơn 003b"]) == ["Hóa đơn 3", "Hóa đơn 003b", "Hóa đơn 12"]


def test_a_thousand_digit_number_is_no_problem():
    assert in_order(["x" + "9" * 5000, "x" + "1" * 5001]) == ["x" + "9" * 5000, "x" + "1" * 5001]


def test_tones_are_accents_not_letters_so_a_with_a_tone_sorts_with_a():
    words = ["Yến", "Bình", "Ảnh", "Anh", "Ánh", "ảnh", "Ăn", "Âu"]
    assert in_order(words) == ["Anh", "ảnh", "Ảnh", "Ánh", "Ăn", "Âu", "Bình", "Yến"]


def test_the_vietnamese_letters_have_their_own_places():
    # ă â after a, đ after d, ê after e, ô ơ after o, ư after u: CLDR's Vietnamese.
    words = ["ư", "u", "ơ", "ô", "o", "ê", "e", "đ", "d", "â", "ă", "a", "y"]
    assert in_order(words) == ["a", "ă", "â", "d", "đ", "e", "ê", "o", "ô", "ơ", "u", "ư", "y"]
    assert in_order(["Yến", "Đào", "Dũng", "Em"]) == ["Dũng", "Đào", "Em", "Yến"]  # Đ after D, not after Y


def test_tones_order_as_cldr_says_when_the_letters_are_the_same():
    # none, huyền, hỏi, ngã, sắc, nặng
    assert in_order(["má", "mạ", "mà", "ma", "mã", "mả"]) == ["ma", "mà", "mả", "mã", "má", "mạ"]


def test_lower_case_before_upper_case_only_when_nothing_else_differs():
    assert in_order(["Ab", "ab", "aB", "AB", "b"]) == ["ab", "aB", "Ab", "AB", "b"]


def test_spaces_and_punctuation_come_before_digits_and_digits_before_letters():
    assert in_order(["b", "1", "-x", " x", "a"]) == [" x", "-x", "1", "a", "b"]


def test_precomposed_and_decomposed_spellings_sort_together():
    assert sort_key("Nguy\u1ec5n").split("\x01")[:3] == sort_key("Nguy\u0065\u0302\u0303n").split("\x01")[:3]


def test_odd_text_gets_a_key_too():
    for text in (None, "", "\ud800", "\x00", "\u0301", "İ", "ß", "日本", "\U0010ffff"):
        assert isinstance(stored_key(text), bytes)
    assert stored_key(None) == stored_key("")


def test_addresses_sort_by_domain_as_read_then_local_part():
    addresses = [("u10", "công-ty.vn"), ("u2", "công-ty.vn"), ("a", "example.test"), ("z", "b.test")]
    ordered = sorted(addresses, key=lambda pair: address_key(*pair))
    assert ordered == [("z", "b.test"), ("u2", "công-ty.vn"), ("u10", "công-ty.vn"), ("a", "example.test")]


def test_a_shorter_domain_sorts_before_a_longer_one_it_begins():
    assert address_key("zz", "a.test") < address_key("aa", "a.test2")


TEXT = st.text(alphabet=st.sampled_from("aAăâbdđeêoôơuưyz 0123456789-.Ảảáàạãé\u0301"), max_size=20)


@given(st.lists(TEXT, min_size=2, max_size=8))
def test_stored_keys_sort_as_the_keys_do(words):
    by_key = sorted(words, key=lambda word: (sort_key(word).rpartition("\x01")[0], word))
    by_stored = sorted(words, key=lambda word: (stored_key(word), word))
    assert by_stored == by_key


@given(TEXT, TEXT)
def test_only_the_same_text_has_the_same_key(first, second):
    assert (sort_key(first) == sort_key(second)) == (first == second or
                                                      unicodedata.normalize("NFC", first) ==
                                                      unicodedata.normalize("NFC", second))


def test_a_stored_key_reads_the_start_of_the_text_and_stays_small():
    long_subject = "Đ" * 1000
    assert len(stored_key(long_subject)) <= 255
    assert stored_key(long_subject) == stored_key("Đ" * KEY_CHARS)


def test_random_vietnamese_names_sort_like_a_phone_book():
    names = ["Nguyễn An", "Nguyễn Ánh", "Nguyễn Bảo", "Trần Đức", "Trần Dũng", "Lê Uyên", "Lê Ước", "Phạm Yến"]
    shuffled = random.Random(7).sample(names, len(names))
    assert in_order(shuffled) == ["Lê Uyên", "Lê Ước", "Nguyễn An", "Nguyễn Ánh", "Nguyễn Bảo", "Phạm Yến",
                                  "Trần Dũng", "Trần Đức"]
