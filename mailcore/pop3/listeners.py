"""The POP3 listeners the mail-core host starts: 110 with STLS, 995 with implicit TLS."""
from mailcore.service.host import register_listener
from mailcore.service.stream import stream_listener_factory

from .server import STREAM_LIMIT, serve

# A PROXY header from outside HOPTHU_PROXY_NETWORKS (service/proxied.py).
PROXY_REFUSAL = b"-ERR The PROXY protocol is not accepted from your address\r\n"

FACTORIES = [
    register_listener(stream_listener_factory("pop3", "pop3", False, serve, limit=STREAM_LIMIT,
                                              proxy_refusal=PROXY_REFUSAL)),
    register_listener(stream_listener_factory("pop3s", "pop3s", True, serve, limit=STREAM_LIMIT,
                                              proxy_refusal=PROXY_REFUSAL)),
]
