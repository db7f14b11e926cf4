"""Sanitising the HTML of a mail body before a browser sees it (DESIGN.md: bleach, sandbox, CSP).

Three passes over one parse:
1. bleach's parser builds the tree. Elements whose *content* is dangerous or meaningless
   as text (script, style, svg, math, iframe, object, form controls...) are let through
   the tokenizer so it parses their content as the browser would (raw text for script and
   style), and are then dropped with everything inside them (DropContent).
2. bleach's own filter keeps an allowlist of tags and attributes; style attributes go
   through MailCSSSanitizer, which also refuses url(), expression() and other functions.
3. MailURLs decides every URL that survives: links must be absolute http/https/mailto
   and open in a new, opener-less window; images may be cid: (rewritten to our part view),
   data: images of four raster types, or remote http(s) only when the reader allowed it.

The result is shown in a sandboxed iframe under its own strict CSP (views.body), so a
mistake here is still not script execution; the passes exist so that it is not a leak
(remote images are read receipts) or a phishing form either.
"""
import re
from dataclasses import dataclass, field
from urllib.parse import unquote

import bleach
import tinycss2
from bleach import html5lib_shim
from bleach.css_sanitizer import ALLOWED_CSS_PROPERTIES, CSSSanitizer
from bleach.sanitizer import BleachSanitizerFilter

MAX_HTML_CHARS = 1_000_000  # more is cut before sanitising (about 4 s of bleach), with a note
# html5lib checks "element in scope" by walking the open elements, so deep nesting makes
# parsing quadratic (20,000 nested divs: half a minute). Browsers cap depth too (Chromium
# at 512); tags deeper than this are dropped before parsing, their text kept.
MAX_DEPTH = 64

ALLOWED_TAGS = frozenset({
    "a", "abbr", "address", "b", "bdi", "bdo", "big", "blockquote", "br", "caption", "center",
    "cite", "code", "col", "colgroup", "dd", "del", "dfn", "div", "dl", "dt", "em", "figcaption",
    "figure", "font", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li",
    "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "tt", "u", "ul", "var", "wbr",
})
# Dropped together with their content: shown as text it would be noise (CSS, code) or bait
# (a button's label, a form's options); parsed as elements it is active content.
DROP_WITH_CONTENT = frozenset({
    "script", "style", "template", "noscript", "title", "head", "iframe", "frame", "frameset",
    "noframes", "object", "embed", "applet", "noembed", "svg", "math", "textarea", "select",
    "button", "xmp", "plaintext", "canvas", "video", "audio", "datalist", "option", "dialog",
})

_COMMON = ["style", "title", "dir", "lang", "align"]
_CELL = ["valign", "width", "height", "bgcolor", "background", "colspan", "rowspan", "nowrap"]
ALLOWED_ATTRIBUTES = {
    "*": _COMMON,
    "a": ["href"],
    "img": ["src", "alt", "width", "height", "border", "hspace", "vspace"],
    "font": ["color", "face", "size"],
    "table": ["border", "cellpadding", "cellspacing", "width", "height", "bgcolor", "background",
              "summary"],
    "td": _CELL,
    "th": [*_CELL, "scope"],
    "tr": ["valign", "bgcolor", "height"],
    "col": ["span", "width"],
    "colgroup": ["span", "width"],
    "ol": ["start", "type", "reversed"],
    "ul": ["type"],
    "li": ["value"],
    "hr": ["size", "width", "noshade"],
    "blockquote": ["type"],
}
# bleach checks these schemes first; MailURLs then narrows them per attribute.
_BLEACH_PROTOCOLS = frozenset({"http", "https", "mailto", "cid", "data"})
LINK_SCHEMES = ("http:", "https:", "mailto:")
_REMOTE_SCHEMES = ("http:", "https:")
_DATA_IMAGE_RE = re.compile(r"^data:image/(png|gif|jpeg|jpg|webp)[;,]")
_URL_JUNK_RE = re.compile(r"[`\000-\040\177-\240\s]+")

CSS_PROPERTIES = ALLOWED_CSS_PROPERTIES | {
    "background", "border", "border-top", "border-right", "border-bottom", "border-left",
    "border-width", "border-style", "border-radius", "border-spacing", "border-top-width",
    "border-bottom-width", "border-left-width", "border-right-width", "border-top-style",
    "border-bottom-style", "border-left-style", "border-right-style",
    "margin", "margin-top", "margin-right", "margin-bottom", "margin-left",
    "padding", "padding-top", "padding-right", "padding-bottom", "padding-left",
    "max-width", "min-width", "max-height", "min-height", "text-transform", "list-style-type",
    "table-layout", "word-break", "word-wrap", "overflow-wrap", "text-overflow",
}
# Functions a colour or a length may use; anything else (url, expression, image-set, var,
# attr, element...) either fetches something, runs something in old engines, or is not
# needed by mail.
_CSS_FUNCTIONS = frozenset({"rgb", "rgba", "hsl", "hsla", "calc"})


def normalized_url(value: str) -> str:
    """The value as a browser would read its scheme: entities decoded, junk removed, lower.

    Same normalisation as bleach's sanitize_uri_value, so "jav&#x09;ascript:" and
    " JaVaScRiPt:" are both seen as "javascript:".
    """
    text = _URL_JUNK_RE.sub("", html5lib_shim.convert_entities(value))
    return re.sub(r"[^\x00-\x7f]", "", text).lower()


def content_id_key(value: str) -> str:
    """A Content-ID or cid: URL reduced to what compares equal (RFC 2392 §2)."""
    return unquote(value).strip().strip("<>").strip().lower()


_TAG_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^<>]*>")
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "param", "source", "track", "wbr", "keygen", "basefont", "frame"})
_SELF_CLOSING_SIBLINGS = frozenset({"p", "li", "dt", "dd", "tr", "td", "th", "option"})


def limit_depth(html: str, max_depth: int = MAX_DEPTH) -> str:
    """Remove start and end tags nested deeper than max_depth (a linear, rough count).

    Only an input to bleach: whatever this produces is still parsed and sanitised, so a
    wrong guess about nesting costs formatting, never safety.
    """
    stack, dropped = [], {}

    def tag(match):
        closing, name = match.group(1), match.group(2).lower()
        if name in _VOID or match.group(0).endswith("/>"):
            return match.group(0)
        if closing:
            if dropped.get(name):
                dropped[name] -= 1
                return ""
            if name in stack:
                while stack.pop() != name:
                    pass
            return match.group(0)
        if name in _SELF_CLOSING_SIBLINGS and name in stack[-3:]:
            while stack.pop() != name:  # an unclosed <li> ends at the next <li>
                pass
        if len(stack) >= max_depth:
            dropped[name] = dropped.get(name, 0) + 1
            return ""
        stack.append(name)
        return match.group(0)

    return _TAG_RE.sub(tag, html)


class MailCSSSanitizer(CSSSanitizer):
    """Keep allowed properties whose value holds only plain tokens (no url(), no functions)."""

    def __init__(self):
        super().__init__(allowed_css_properties=CSS_PROPERTIES, allowed_svg_properties=frozenset())

    def sanitize_css(self, style):
        # Attribute values reach us with entities undecoded; the browser decodes them before
        # CSS sees them, so judge the decoded text.
        declarations = tinycss2.parse_declaration_list(
            html5lib_shim.convert_entities(style), skip_comments=True, skip_whitespace=True)
        kept = []
        for declaration in declarations:
            if declaration.type != "declaration" or declaration.lower_name not in CSS_PROPERTIES:
                continue
            if not _plain_css_value(declaration.value):
                continue
            value = tinycss2.serialize(declaration.value).strip()
            if "&" in value or "\\" in value:
                continue
            important = " !important" if declaration.important else ""
            kept.append(f"{declaration.lower_name}: {value}{important}")
        return "; ".join(kept)


def _plain_css_value(tokens) -> bool:
    for token in tokens:
        if token.type in ("url", "error", "() block", "[] block", "{} block"):
            return False
        if token.type == "function" and (token.lower_name not in _CSS_FUNCTIONS
                                         or not _plain_css_value(token.arguments)):
            return False
        if token.type == "ident" and ("expression" in token.lower_value
                                      or "javascript" in token.lower_value):
            return False
    return True


class DropContent(html5lib_shim.Filter):
    """Drop DROP_WITH_CONTENT elements and everything between their start and end tags."""

    def __iter__(self):
        depth = 0
        for token in super().__iter__():
            kind = token["type"]
            name = (token.get("name") or "").lower()
            if name in DROP_WITH_CONTENT:
                if kind == "StartTag":
                    depth += 1
                    continue
                if kind == "EndTag":
                    depth = max(0, depth - 1)
                    continue
                if kind == "EmptyTag":
                    continue
            if depth == 0:
                yield token


@dataclass
class Sanitized:
    html: str
    remote_blocked: bool = False  # some remote image was removed; offer "Show images"
    truncated: bool = False
    cid_used: set = field(default_factory=set)  # Content-ID keys shown inline


def _mail_url_filter(result: Sanitized, cid_url, allow_remote: bool):
    """Build the html5lib filter class that applies the URL rules to the sanitised tokens."""

    def image_url(value):
        url = normalized_url(value)
        if url.startswith("cid:"):
            key = content_id_key(url[4:])
            target = cid_url(key)
            if target:
                result.cid_used.add(key)
            return target
        if _DATA_IMAGE_RE.match(url):
            return value
        if url.startswith(_REMOTE_SCHEMES):
            if allow_remote:
                return value
            result.remote_blocked = True
        return None

    class MailURLs(html5lib_shim.Filter):
        def __iter__(self):
            for token in super().__iter__():
                if token["type"] in ("StartTag", "EmptyTag") and token.get("data") is not None:
                    self.fix(token["name"], token["data"])
                yield token

        def fix(self, name, attrs):
            href = attrs.pop((None, "href"), None)
            if name == "a":
                if href is not None and normalized_url(href).startswith(LINK_SCHEMES):
                    attrs[(None, "href")] = href
                # Every link leaves the frame for a new top-level window with no opener
                # and no Referer (the sandbox allows popups to escape it for this).
                attrs[(None, "target")] = "_blank"
                attrs[(None, "rel")] = "noopener noreferrer"
            for attr in ("src", "background"):
                value = attrs.pop((None, attr), None)
                if value is not None:
                    fixed = image_url(value)
                    if fixed:
                        attrs[(None, attr)] = fixed

    return MailURLs


_EtreeWalker = html5lib_shim.getTreeWalker("etree")


class SiblingIndexWalker(_EtreeWalker):
    """html5lib's etree walker finds a parent's place by scanning its siblings (and asserts
    by counting them), which is quadratic for a mail of many top-level blocks; this one
    remembers each parent's child positions once."""

    def __init__(self, tree):
        super().__init__(tree)
        self._positions = {}

    def getParentNode(self, node):
        if not isinstance(node, tuple) or node[3] == "text":
            return super().getParentNode(node)
        _element, _key, parents, _flag = node
        parent = parents.pop()
        if not parents:
            return parent
        grandparent = parents[-1]
        positions = self._positions.get(id(grandparent))
        if positions is None:
            positions = self._positions[id(grandparent)] = {
                id(child): index for index, child in enumerate(grandparent)}
        return parent, positions[id(parent)], parents, None


class MailCleaner(bleach.Cleaner):
    """bleach.Cleaner with the content-dropping pass before its sanitising filter."""

    def __init__(self, url_filter):
        super().__init__(tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                         protocols=_BLEACH_PROTOCOLS, strip=True, strip_comments=True,
                         filters=[url_filter], css_sanitizer=MailCSSSanitizer())
        # The tokenizer must see the dropped elements as elements (not stripped to their
        # text) so that their content is parsed and then dropped with them.
        self.parser = html5lib_shim.BleachHTMLParser(
            tags=ALLOWED_TAGS | DROP_WITH_CONTENT, strip=True, consume_entities=False,
            namespaceHTMLElements=False)

    def clean(self, text):
        if not text:
            return ""
        dom = self.parser.parseFragment(text)
        filtered = BleachSanitizerFilter(
            source=DropContent(SiblingIndexWalker(dom)), allowed_tags=self.tags,
            attributes=self.attributes, strip_disallowed_tags=True, strip_html_comments=True,
            css_sanitizer=self.css_sanitizer, allowed_protocols=self.protocols)
        for filter_class in self.filters:
            filtered = filter_class(source=filtered)
        return self.serializer.render(filtered)


def sanitize_html(html: str, cid_url=lambda key: None, allow_remote=False) -> Sanitized:
    """Return the mail's HTML made safe to show, and what was blocked or cut.

    cid_url maps a Content-ID key (content_id_key) to the URL serving that part, or None.
    """
    result = Sanitized(html="")
    if len(html) > MAX_HTML_CHARS:
        html, result.truncated = html[:MAX_HTML_CHARS], True
    cleaner = MailCleaner(_mail_url_filter(result, cid_url, allow_remote))  # not thread-safe: one per call
    result.html = cleaner.clean(limit_depth(html))
    return result
