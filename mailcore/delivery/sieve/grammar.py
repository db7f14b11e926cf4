"""The Sieve grammar (RFC 5228 §8): a lexer and a parser into commands and tests.

Hand-written for the subset HopThu reads and with bounds on everything a hostile
script could blow up: its size, the nesting depth, the number of tokens. Every
error is a SieveError naming the line, never another exception.
"""
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

MAX_SCRIPT_BYTES = 256 * 1024
MAX_DEPTH = 16  # blocks and tests inside one another
MAX_NUMBER = 2 ** 62
_QUANTIFIERS = {"K": 1024, "M": 1024 ** 2, "G": 1024 ** 3}  # RFC 5228 §2.4.1
_IDENT_START = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")
_DIGITS = set("0123456789")  # ASCII only: str.isdigit() takes "²" too
_IDENT_CHARS = _IDENT_START | _DIGITS


class SieveError(Exception):
    """What is wrong with a script, and at which line (counted from 1)."""

    def __init__(self, line: int, message: str):
        super().__init__(f"{line}: {message}")
        self.line = line
        self.message = message


@dataclass
class Token:
    kind: str  # "ident", "tag", "number", "string", or the punctuation itself: [ ] ( ) { } , ;
    value: object
    line: int
    note: str = ""  # the text of the "# rule: …" comment just before it, if any


@dataclass
class Test:
    name: str
    line: int
    tags: list = field(default_factory=list)  # [(tag, line)], tag lower-cased without ":"
    args: list = field(default_factory=list)  # numbers and string lists, in order
    tests: list = field(default_factory=list)


@dataclass
class Command(Test):
    block: list | None = None  # the commands between { }, or None after ";"
    note: str = ""


def decode(script: bytes) -> str:
    """A script is UTF-8 (RFC 5228 §2.1)."""
    if len(script) > MAX_SCRIPT_BYTES:
        raise SieveError(1, _("The script is larger than %(size)d KB.") % {"size": MAX_SCRIPT_BYTES // 1024})
    try:
        return script.decode("utf-8")
    except UnicodeDecodeError as error:
        line = script[:error.start].count(b"\n") + 1
        raise SieveError(line, _("The script is not UTF-8 text.")) from None


def tokens(text: str) -> list[Token]:
    out: list[Token] = []
    i, line, note, n = 0, 1, "", len(text)
    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
            i += 1
        elif c in " \t\r":
            i += 1
        elif c == "#":  # comment to the end of the line (RFC 5228 §2.3)
            end = text.find("\n", i)
            end = n if end < 0 else end
            comment = text[i + 1:end].strip()
            if comment.lower().startswith("rule:"):
                note = comment[5:].strip()
            i = end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end < 0:
                raise SieveError(line, _("A comment opened with /* is never closed."))
            line += text.count("\n", i, end)
            i = end + 2
        elif c == '"':
            start_line, i, value = line, i + 1, []
            while True:
                if i >= n:
                    raise SieveError(start_line, _("A quoted string is never closed."))
                ch = text[i]
                if ch == "\\" and i + 1 < n:  # RFC 5228 §2.4.2: \\ and \" escape; any other \x is x
                    value.append(text[i + 1])
                    line += text[i + 1] == "\n"
                    i += 2
                    continue
                if ch == '"':
                    i += 1
                    break
                line += ch == "\n"
                value.append(ch)
                i += 1
            out.append(Token("string", "".join(value), start_line, note))
            note = ""
        elif text.startswith("text:", i):  # multi-line string, ended by a line of "." (§2.4.2)
            start_line = line
            eol = text.find("\n", i)
            if eol < 0:
                raise SieveError(line, _("A text: string is never ended by a line holding only a dot."))
            rest = text[i + 5:eol].strip()
            if rest and not rest.startswith("#"):
                raise SieveError(line, _("Nothing but a comment may follow text: on its line."))
            i, lines = eol + 1, []
            line += 1
            while True:
                if i >= n:
                    raise SieveError(start_line, _("A text: string is never ended by a line holding only a dot."))
                eol = text.find("\n", i)
                eol = n if eol < 0 else eol
                body = text[i:eol].rstrip("\r")
                i = eol + 1
                line += 1
                if body == ".":
                    break
                lines.append(body[1:] if body.startswith("..") else body)
            out.append(Token("string", "\r\n".join(lines) + ("\r\n" if lines else ""), start_line, note))
            note = ""
        elif c in "[](){},;":
            out.append(Token(c, c, line, note))
            note = ""
            i += 1
        elif c in _DIGITS:
            start = i
            while i < n and text[i] in _DIGITS:
                i += 1
            number = int(text[start:i]) if i - start < 20 else MAX_NUMBER + 1
            if i < n and text[i].upper() in _QUANTIFIERS:
                number *= _QUANTIFIERS[text[i].upper()]
                i += 1
            if number > MAX_NUMBER:
                raise SieveError(line, _("The number is too large."))
            out.append(Token("number", number, line, note))
            note = ""
        elif c == ":" or c in _IDENT_START:
            start = i + (c == ":")
            i = start
            while i < n and text[i] in _IDENT_CHARS:
                i += 1
            word = text[start:i]
            if not word or word[0] not in _IDENT_START:
                raise SieveError(line, _("A colon must be followed by a tag name, such as :contains."))
            out.append(Token("tag" if c == ":" else "ident", word.lower(), line, note))
            note = ""
        else:
            raise SieveError(line, _("Unexpected character %(char)s.") % {"char": repr(c)})
    return out


class _Parser:
    def __init__(self, items: list[Token]):
        self.items = items
        self.at = 0

    def peek(self) -> Token | None:
        return self.items[self.at] if self.at < len(self.items) else None

    def take(self, kind: str | None = None) -> Token:
        token = self.peek()
        if token is None:
            last = self.items[-1].line if self.items else 1
            raise SieveError(last, _("The script ends in the middle of a command."))
        if kind and token.kind != kind:
            raise SieveError(token.line, _("Expected %(expected)s here, found %(found)s.") % {
                "expected": kind, "found": str(token.value)[:40]})
        self.at += 1
        return token

    def commands(self, depth: int, closing: bool) -> list[Command]:
        found = []
        while (token := self.peek()) is not None and not (closing and token.kind == "}"):
            found.append(self.command(depth))
        return found

    def command(self, depth: int) -> Command:
        name = self.take("ident")
        command = Command(name.value, name.line, note=name.note)
        self.arguments(command, depth)
        end = self.take()
        if end.kind == "{":
            if depth >= MAX_DEPTH:
                raise SieveError(end.line, _("Blocks are nested too deeply."))
            command.block = self.commands(depth + 1, closing=True)
            self.take("}")
        elif end.kind != ";":
            raise SieveError(end.line, _("Expected ; or { after the command %(name)s.") % {"name": name.value})
        return command

    def arguments(self, test: Test, depth: int):
        while (token := self.peek()) is not None:
            if token.kind == "tag":
                test.tags.append((self.take().value, token.line))
            elif token.kind == "number":
                test.args.append(self.take().value)
            elif token.kind in ("string", "["):
                test.args.append(self.string_list())
            else:
                break
        token = self.peek()
        if token is not None and token.kind == "ident":
            test.tests.append(self.test(depth + 1))
        elif token is not None and token.kind == "(":
            self.take()
            test.tests.append(self.test(depth + 1))
            while self.peek() is not None and self.peek().kind == ",":
                self.take()
                test.tests.append(self.test(depth + 1))
            self.take(")")

    def test(self, depth: int) -> Test:
        name = self.take("ident")
        if depth >= MAX_DEPTH:
            raise SieveError(name.line, _("Tests are nested too deeply."))
        test = Test(name.value, name.line)
        self.arguments(test, depth)
        return test

    def string_list(self) -> list[str]:
        token = self.take()
        if token.kind == "string":
            return [token.value]
        values = [self.take("string").value]
        while self.peek() is not None and self.peek().kind == ",":
            self.take()
            values.append(self.take("string").value)
        self.take("]")
        return values


def parse(script: bytes | str) -> list[Command]:
    """The script's top-level commands, or SieveError."""
    text = decode(script) if isinstance(script, bytes) else script
    if len(text.encode("utf-8", "surrogatepass")) > MAX_SCRIPT_BYTES:
        raise SieveError(1, _("The script is larger than %(size)d KB.") % {"size": MAX_SCRIPT_BYTES // 1024})
    parser = _Parser(tokens(text))
    found = parser.commands(0, closing=False)
    return found
