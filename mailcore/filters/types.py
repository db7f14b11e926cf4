"""The shapes the filter engines hand to the scan (scan.py) and the scan hands to SMTP and delivery."""
from dataclasses import dataclass, field


class ScannerUnavailable(Exception):
    """A scanning service (clamd, rspamd) could not be asked; the policy says what follows."""


@dataclass(frozen=True)
class Finding:
    """One rule's part in a spam score: its name, points (negative for good signs), and why."""

    rule: str
    score: float
    detail: str = ""


@dataclass
class SpamResult:
    score: float
    findings: list[Finding] = field(default_factory=list)
    engine: str = "builtin"
    action: str = ""  # rspamd's own verdict ("reject", "soft reject", "add header", "no action" …)


@dataclass(frozen=True)
class VirusResult:
    infected: bool
    name: str = ""  # the signature found, e.g. "Eicar-Signature"


@dataclass
class ScanResult:
    """The scan's decision for one message at DATA.

    action: accept | reject (5xx, reply given) | tempfail (4xx, reply given) | quarantine
    (accepted with 250, held, not queued). kind names what decided: spam, virus, policy.
    headers are the X-Spam-* fields to add to the accepted message.
    """

    action: str = "accept"
    reply: str = ""
    kind: str = ""
    reason: str = ""
    spam: SpamResult | None = None
    headers: bytes = b""
