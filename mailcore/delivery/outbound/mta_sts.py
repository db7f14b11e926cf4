"""MTA-STS (RFC 8461): a destination domain's promise that its MX hosts speak verified TLS.

Before mail leaves for a domain, policy_for() gives its policy: the `_mta-sts` TXT record
names the current policy id (§3.1); a policy cached under that id is used as is, another
id (or none cached) fetches https://mta-sts.<domain>/.well-known/mta-sts.txt (§3.3) and
caches it for its max_age (§5.1). In `enforce` mode the client then delivers only to MX
hosts the policy lists, over STARTTLS with a certificate valid for the MX name (§4, §5);
otherwise the mail is deferred, never sent in the clear. `testing` mode delivers as
before and logs what enforcement would have refused; `none` is a published withdrawal.

A domain whose TXT lookup or policy fetch fails keeps its cached policy until it expires
(§5.1: an attacker who blocks the fetch must not downgrade delivery); with nothing cached
the mail goes as if the domain had no policy, as the RFC requires.
"""
import http.client
import logging
import re
import socket
import ssl
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from mailcore import dns as mail_dns

log = logging.getLogger(__name__)

MAX_POLICY_BYTES = 64 * 1024  # §3.2: senders may limit the policy's size; 64 KiB is generous
MAX_AGE_LIMIT = 31_557_600  # §3.2: max_age is at most a year
MODES = ("enforce", "testing", "none")
_ID_RE = re.compile(r"^[A-Za-z0-9]{1,32}$")
_FIELD_RE = re.compile(r"^([A-Za-z0-9_]+)\s*:\s*(.*?)\s*$")


class PolicyError(ValueError):
    """A TXT record or policy file that does not follow RFC 8461 §3."""


@dataclass(frozen=True)
class Policy:
    policy_id: str
    mode: str
    mx: tuple[str, ...]
    max_age: int

    @property
    def enforced(self) -> bool:
        return self.mode == "enforce"

    def allows(self, host_name: str) -> bool:
        """Whether an MX host name matches one of the policy's mx patterns (§4.1)."""
        return any(mx_matches(pattern, host_name) for pattern in self.mx)


def mx_matches(pattern: str, host_name: str) -> bool:
    """§4.1: a pattern matches the name exactly, or "*.example.com" matches one more label
    on the left ("mx1.example.com", not "a.mx1.example.com" nor "example.com")."""
    pattern, name = pattern.lower().rstrip("."), host_name.lower().rstrip(".")
    if pattern.startswith("*."):
        label, _dot, rest = name.partition(".")
        return bool(label) and rest == pattern[2:]
    return name == pattern


def parse_txt(strings: list[str]) -> str | None:
    """The policy id of a domain's `_mta-sts` TXT records, or None for no policy.

    §3.1: the record is "v=STSv1; id=...;" with the version first; records not starting
    with v=STSv1 are ignored, and more than one STSv1 record means no policy at all.
    """
    found = [text for text in strings if re.match(r"^v=STSv1\s*(;|$)", text)]
    if len(found) != 1:
        return None
    fields = {}
    for part in found[0].split(";"):
        key, sep, value = part.strip().partition("=")
        if sep:
            fields.setdefault(key.strip(), value.strip())
    policy_id = fields.get("id", "")
    return policy_id if _ID_RE.match(policy_id) else None


def parse_policy(text: str, policy_id: str) -> Policy:
    """The policy file's fields (§3.2): "key: value" lines; unknown keys are ignored."""
    fields: dict[str, list[str]] = {}
    for line in text.splitlines():
        match = _FIELD_RE.match(line)
        if match:
            fields.setdefault(match.group(1), []).append(match.group(2))
    if fields.get("version", [""])[0] != "STSv1":
        raise PolicyError("the policy's version is not STSv1")
    mode = fields.get("mode", [""])[0]
    if mode not in MODES:
        raise PolicyError(f"unknown mode {mode!r}")
    max_age = fields.get("max_age", [""])[0]
    if not max_age.isdigit() or len(max_age) > 10:
        raise PolicyError("max_age is not a number of seconds")
    mx = tuple(value.lower() for value in fields.get("mx", []) if value)
    if mode != "none" and not mx:
        raise PolicyError("the policy names no mx")
    return Policy(policy_id, mode, mx, min(int(max_age), MAX_AGE_LIMIT))


class _Connection(http.client.HTTPSConnection):
    """HTTPS to the address mailcore.dns found (the tests' stub DNS answers it too),
    with the policy host's name for SNI and the certificate check."""

    def __init__(self, address: str, host: str, port: int, timeout: float, context: ssl.SSLContext):
        super().__init__(host, port, timeout=timeout, context=context)
        self._address = address

    def connect(self):
        raw = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)


def verified_context() -> ssl.SSLContext:
    """Certificates checked against the system's CAs, or HOPTHU_OUTBOUND_CA_FILE's."""
    return ssl.create_default_context(cafile=settings.HOPTHU_OUTBOUND_CA_FILE or None)


def fetch(domain: str) -> str:
    """The policy file of domain (§3.3): HTTPS with a valid certificate for
    mta-sts.<domain>, 200 only (redirects are not followed), text/plain, bounded."""
    host = f"mta-sts.{domain}"
    addresses = [record.address for record in mail_dns.query(host, "A")]
    if not addresses:
        raise PolicyError(f"{host} has no address")
    timeout = float(settings.HOPTHU_MTA_STS_TIMEOUT)
    connection = _Connection(addresses[0], host, int(settings.HOPTHU_MTA_STS_PORT), timeout, verified_context())
    try:
        connection.request("GET", "/.well-known/mta-sts.txt", headers={"Host": host, "User-Agent": "HopThu"})
        response = connection.getresponse()
        if response.status != 200:
            raise PolicyError(f"HTTP {response.status} for the policy of {domain}")
        media_type = (response.getheader("Content-Type") or "").split(";")[0].strip().lower()
        if media_type != "text/plain":
            raise PolicyError(f"the policy of {domain} is {media_type or 'untyped'}, not text/plain")
        body = response.read(MAX_POLICY_BYTES + 1)
        if len(body) > MAX_POLICY_BYTES:
            raise PolicyError(f"the policy of {domain} is over {MAX_POLICY_BYTES} bytes")
        return body.decode("utf-8", "replace")
    finally:
        connection.close()


def policy_for(domain: str) -> Policy | None:
    """The MTA-STS policy in force for mail to domain (an A-label), or None."""
    return policy_and_failure(domain)[0]


# RFC 8460 §4.3.2.1: why a published policy could not be used, for the TLS report.
FETCH_ERROR = "sts-policy-fetch-error"
INVALID = "sts-policy-invalid"
WEBPKI_INVALID = "sts-webpki-invalid"


def policy_and_failure(domain: str) -> tuple[Policy | None, str | None]:
    """policy_for(), and the TLS-RPT failure type when the TXT record announced a new
    policy that could not be fetched or read (the cached policy, if any, stays in force)."""
    from mailcore.delivery.models import MtaStsPolicy

    if not settings.HOPTHU_MTA_STS:
        return None, None
    now = timezone.now()
    cached = MtaStsPolicy.objects.filter(domain=domain, expires__gt=now).first()
    try:
        published = parse_txt([b"".join(record.strings).decode("ascii", "replace")
                               for record in mail_dns.query(f"_mta-sts.{domain}", "TXT")])
    except mail_dns.TemporaryDNSError as error:
        log.info("MTA-STS: TXT of %s: %s", domain, error)
        published = None
    if published is None or (cached is not None and cached.policy_id == published):
        return (cached.policy() if cached is not None else None), None
    try:
        text = fetch(domain)
    except ssl.SSLCertVerificationError as error:
        return _keep(cached, domain, published, error), WEBPKI_INVALID
    except (PolicyError, OSError, ssl.SSLError, http.client.HTTPException, mail_dns.TemporaryDNSError) as error:
        return _keep(cached, domain, published, error), FETCH_ERROR
    try:
        policy = parse_policy(text, published)
    except PolicyError as error:
        return _keep(cached, domain, published, error), INVALID
    MtaStsPolicy.objects.update_or_create(domain=domain, defaults={
        "policy_id": policy.policy_id, "mode": policy.mode, "mx": list(policy.mx), "max_age": policy.max_age,
        "fetched": now, "expires": now + timedelta(seconds=policy.max_age)})
    log.info("MTA-STS: %s has policy %s (%s, mx %s)", domain, policy.policy_id, policy.mode, ", ".join(policy.mx))
    return policy, None


def _keep(cached, domain: str, published: str, error: Exception) -> Policy | None:
    log.warning("MTA-STS: the policy of %s (id %s) could not be fetched: %s", domain, published, error)
    return cached.policy() if cached is not None else None
