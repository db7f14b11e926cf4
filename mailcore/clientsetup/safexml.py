"""Parse small XML documents from strangers (autodiscover requests) without DTD tricks.

defusedxml is not a dependency, so this drives expat directly and refuses any document type
declaration: entity definitions (billion laughs) and external entities (XXE, reading local
files or URLs) need one, and no legitimate autodiscover request has one. The result is an
ordinary ElementTree element with "{namespace}name" tags.
"""
from xml.etree import ElementTree as ET
from xml.parsers import expat


class UnsafeXML(ValueError):
    """The document is not well-formed, too large, or uses a DTD or entities."""


def _refuse(*_args):
    raise UnsafeXML("document type declarations and entities are not accepted")


def _qualified(name: str) -> str:
    # expat with namespace_separator="}" reports "uri}local"; ElementTree spells it "{uri}local".
    return "{" + name if "}" in name else name


def parse(data: bytes, max_bytes: int) -> ET.Element:
    if len(data) > max_bytes:
        raise UnsafeXML("document too large")
    builder = ET.TreeBuilder()
    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.UnparsedEntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse
    parser.StartElementHandler = lambda tag, attrs: builder.start(
        _qualified(tag), {_qualified(k): v for k, v in attrs.items()})
    parser.EndElementHandler = lambda tag: builder.end(_qualified(tag))
    parser.CharacterDataHandler = builder.data
    try:
        parser.Parse(data, True)
        return builder.close()
    except expat.ExpatError as exc:
        raise UnsafeXML(str(exc)) from None
    except AssertionError:  # TreeBuilder: no root element
        raise UnsafeXML("no document element") from None
