"""What became of one recipient on one delivery attempt, in SMTP reply terms.

Every outcome, a server's reply or a decision made here (DNS, TLS policy, size), is a
reply code, an enhanced status code (RFC 3463) and a text, so the queue stores one
kind of value and the DSN reports it the same way (RFC 3464 §2.3.4, §2.3.6).
"""
import re
from dataclasses import dataclass

# RFC 3463 §2: class.subject.detail at the start of the reply text (RFC 2034 §4).
_ENHANCED_RE = re.compile(r"^([245])\.(\d{1,3})\.(\d{1,3})\b\s*")


@dataclass(frozen=True)
class Result:
    code: int  # the SMTP reply code, or the one Postfix would use for a local decision
    enhanced: str  # RFC 3463 status, e.g. "5.1.1"
    text: str
    permanent: bool  # 5xx: give up and bounce; otherwise retry later (unless delivered)
    delivered: bool = False
    host: str = ""  # the MX host that gave the reply; "" for a decision made here

    def __str__(self):
        return self.reply

    @property
    def reply(self) -> str:
        """The result as one reply line, "550 5.1.1 No such user" (what the queue stores)."""
        return f"{self.code} {self.enhanced} {self.text}".rstrip()

    @property
    def temporary(self) -> bool:
        return not self.delivered and not self.permanent


def from_reply(code: int, message: bytes | str, host: str = "") -> Result:
    """Make a Result from an SMTP reply as smtplib returns it (lines joined by LF)."""
    if isinstance(message, bytes):
        message = message.decode("utf-8", "replace")
    text = " ".join(line.strip() for line in message.splitlines() if line.strip())
    match = _ENHANCED_RE.match(text)
    if match and match.group(1) == str(code)[0]:
        enhanced, text = ".".join(match.groups()), text[match.end():]
    else:
        # RFC 3463 §3.1: without a detail, X.0.0 is the generic status of the class.
        enhanced = f"{str(code)[0]}.0.0"
    return Result(code=code, enhanced=enhanced, text=text, permanent=500 <= code < 600,
                  delivered=200 <= code < 300, host=host)


def temporary(enhanced: str, text: str, host: str = "", code: int = 451) -> Result:
    """A decision to retry later, e.g. a host that did not answer (RFC 3463 §3.5: 4.4.x)."""
    return Result(code=code, enhanced=enhanced, text=text, permanent=False, host=host)


def permanent(enhanced: str, text: str, host: str = "", code: int = 550) -> Result:
    """A decision to give up now and bounce."""
    return Result(code=code, enhanced=enhanced, text=text, permanent=True, host=host)


class DeliveryError(Exception):
    """Nothing can be delivered to this destination now; `result` says why and for how long."""

    def __init__(self, result: Result):
        super().__init__(result.reply)
        self.result = result
