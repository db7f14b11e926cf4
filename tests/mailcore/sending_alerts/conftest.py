"""The mail core's SMTP listeners (tests/mailcore/smtp) and a "remote" sink found through the
stub DNS (tests/mailcore/outbound), for the sending-alert tests that go over the wire."""
from tests.mailcore.outbound.conftest import (  # noqa: F401 (fixtures)
    dns_server,
    publish_mx,
    server_tls_context,
    shared_dns_server,
    sink,
)
from tests.mailcore.smtp.conftest import mail_host  # noqa: F401 (fixture)
