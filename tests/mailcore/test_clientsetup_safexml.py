"""The autodiscover request parser refuses DTD tricks: XXE, billion laughs, external DTDs."""
import pytest

from mailcore.clientsetup.safexml import UnsafeXML, parse

NS = "http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006"


def test_a_plain_document_parses_with_namespaced_tags():
    root = parse(f'<a xmlns="{NS}"><b x="1">text &amp; more</b></a>'.encode(), 1000)

    assert root.tag == f"{{{NS}}}a"
    assert root.find(f"{{{NS}}}b").text == "text & more"
    assert root.find(f"{{{NS}}}b").get("x") == "1"


def test_an_external_entity_is_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    body = (f'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY xxe SYSTEM "file://{secret}">]>'
            "<a>&xxe;</a>").encode()

    with pytest.raises(UnsafeXML):
        parse(body, 10_000)


def test_billion_laughs_is_refused():
    entities = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    body = f'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY l0 "lol">{entities}]><a>&l9;</a>'.encode()

    with pytest.raises(UnsafeXML):
        parse(body, 10_000)


def test_an_external_dtd_is_refused():
    body = b'<?xml version="1.0"?><!DOCTYPE a SYSTEM "http://127.0.0.1:9/evil.dtd"><a/>'

    with pytest.raises(UnsafeXML):
        parse(body, 10_000)


def test_an_undefined_entity_is_refused():
    with pytest.raises(UnsafeXML):
        parse(b"<a>&nope;</a>", 1000)


@pytest.mark.parametrize("body", [b"", b"not xml", b"<a><b></a>", b"<a/><b/>"])
def test_malformed_documents_are_refused(body):
    with pytest.raises(UnsafeXML):
        parse(body, 1000)


def test_a_document_over_the_size_limit_is_refused():
    with pytest.raises(UnsafeXML):
        parse(b"<a>" + b"x" * 2000 + b"</a>", 1000)
