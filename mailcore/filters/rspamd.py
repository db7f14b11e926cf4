"""rspamd as the spam engine: its HTTP protocol (/checkv2 on the normal worker, /learnspam
and /learnham on the controller), with the SMTP envelope passed as request headers.

Settings: HOPTHU_RSPAMD_URL (normal worker, e.g. "http://127.0.0.1:11333"),
HOPTHU_RSPAMD_CONTROLLER_URL (e.g. "http://127.0.0.1:11334"; "" = learning is not
forwarded), HOPTHU_RSPAMD_PASSWORD (the controller's enable_password; "" = none),
HOPTHU_RSPAMD_TIMEOUT (seconds, default 15: above rspamd's own 8 s task_timeout).
"""
import http.client
import json
from urllib.parse import urlsplit

from django.conf import settings

from .types import Finding, ScannerUnavailable, SpamResult


def enabled() -> bool:
    return bool(getattr(settings, "HOPTHU_RSPAMD_URL", ""))


def check(raw: bytes, *, mail_from: str, recipients, client_ip: str = "", helo: str = "",
          queue_id: str = "") -> SpamResult:
    """rspamd's score for one message; the findings are the symbols that scored."""
    headers = {"From": mail_from or "<>"}  # the null reverse-path of a bounce (RFC 5321 4.5.5)
    if client_ip:
        headers["IP"] = client_ip
    if helo:
        headers["Helo"] = helo
    if queue_id:
        headers["Queue-Id"] = queue_id
    # One Rcpt header per recipient: http.client sends a list of values as repeated headers.
    reply = _post(_setting("HOPTHU_RSPAMD_URL"), "/checkv2", raw, headers,
                  [("Rcpt", address) for address in recipients])
    if reply.status != 200:
        raise ScannerUnavailable(f"rspamd /checkv2 answered {reply.status}: {_error(reply.body)}")
    try:
        data = json.loads(reply.body)
        return SpamResult(score=float(data["score"]), findings=_findings(data), engine="rspamd",
                          action=str(data.get("action", "")))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ScannerUnavailable(f"rspamd /checkv2 reply is not a verdict: {exc}") from exc


def learn(raw: bytes, spam: bool) -> bool:
    """Train rspamd's Bayes classifier on one message.

    True when rspamd learned it; False when it declined without error (too few tokens, or
    already learned that way). A message learned the other way before is relearned by
    rspamd itself. No controller configured: nothing to do, False.
    """
    base = getattr(settings, "HOPTHU_RSPAMD_CONTROLLER_URL", "")
    if not base:
        return False
    headers = {}
    password = getattr(settings, "HOPTHU_RSPAMD_PASSWORD", "")
    if password:
        headers["Password"] = password
    reply = _post(base, "/learnspam" if spam else "/learnham", raw, headers, [])
    if reply.status == 200:
        return True
    # 204: skipped (e.g. "contains less tokens than required"); "already learned" comes
    # as 404 in rspamd 3.x and 208 in older versions.
    if reply.status in (204, 208) or "already learned" in _error(reply.body):
        return False
    raise ScannerUnavailable(f"rspamd learn answered {reply.status}: {_error(reply.body)}")


class _Reply:
    def __init__(self, status: int, body: bytes):
        self.status, self.body = status, body


def _setting(name: str) -> str:
    value = getattr(settings, name, "")
    if not value:
        raise ScannerUnavailable(f"{name} is not set")
    return value


def _post(base: str, path: str, raw: bytes, headers: dict, repeated: list) -> _Reply:
    url = urlsplit(base)
    if url.scheme not in ("http", "https") or not url.hostname:
        raise ScannerUnavailable(f"not an http(s) URL: {base!r}")
    timeout = float(getattr(settings, "HOPTHU_RSPAMD_TIMEOUT", 15))
    connection_class = http.client.HTTPSConnection if url.scheme == "https" else http.client.HTTPConnection
    connection = connection_class(url.hostname, url.port, timeout=timeout)
    try:
        connection.putrequest("POST", url.path.rstrip("/") + path, skip_accept_encoding=True)
        for name, value in [*headers.items(), *repeated]:
            connection.putheader(name, value)
        connection.putheader("Content-Length", str(len(raw)))
        connection.endheaders(raw)
        response = connection.getresponse()
        return _Reply(response.status, response.read())
    except (OSError, http.client.HTTPException) as exc:
        raise ScannerUnavailable(f"rspamd at {base}: {exc}") from exc
    finally:
        connection.close()


def _error(body: bytes) -> str:
    try:
        return str(json.loads(body).get("error", ""))
    except (ValueError, AttributeError):
        return body[:200].decode("utf-8", "replace")


def _findings(data: dict) -> list[Finding]:
    symbols = data.get("symbols") or {}
    findings = [_finding(name, symbol) for name, symbol in symbols.items()]
    scored = [finding for finding in findings if finding.score]
    # A verdict forced by a rule that scores nothing itself (GTUBE, a settings rule) is
    # still explained by its symbols: keep them all then.
    if not scored and float(data.get("score", 0)) > 0:
        scored = findings
    return sorted(scored, key=lambda finding: (-abs(finding.score), finding.rule))


def _finding(name: str, symbol: dict) -> Finding:
    detail = symbol.get("description", "")
    options = symbol.get("options") or []
    if options:
        detail = f"{detail} ({', '.join(map(str, options))})" if detail else ", ".join(map(str, options))
    return Finding(rule=name, score=float(symbol.get("score", 0)), detail=detail)
