"""Issue 18's "done when": with the settings pointed at slapd, the sync makes the
accounts, and an LDAP user signs in to the webmail and reads mail over IMAP and POP3
with the LDAP password (docs/ldap.md). Real slapd, real listeners, real clients."""
import imaplib
import poplib

import pytest

from mailcore.directory.services import create_domain
from mailcore.imap.listeners import FACTORIES as IMAP
from mailcore.ldap.sync import sync
from mailcore.pop3.listeners import FACTORIES as POP3
from tests.support.hosts import running_host
from tests.support.ldap_login import PASSWORDS

pytestmark = [pytest.mark.django_db(databases=["default", "ldap"], transaction=True), pytest.mark.slow]
HUONG = "huong@example.test"


def test_a_synced_ldap_user_signs_in_to_the_webmail_and_reads_over_imap_and_pop3(
        settings, tmp_path, client, ldap_settings):
    create_domain("example.test")
    sync(ldap_settings)
    response = client.post("/accounts/login/", {"login": HUONG, "password": PASSWORDS["huong"]})
    assert response.status_code == 302
    with running_host(settings, tmp_path, [*IMAP, *POP3], ("imap", "pop3")) as host:
        imap = imaplib.IMAP4("127.0.0.1", host.ports["imap"], timeout=10)
        typ, _data = imap.authenticate("PLAIN", lambda _c: f"\0{HUONG}\0{PASSWORDS['huong']}".encode())
        assert typ == "OK" and imap.select("INBOX")[0] == "OK"
        imap.logout()
        pop = poplib.POP3("127.0.0.1", host.ports["pop3"], timeout=10)
        pop.user("an.tran@example.test")
        assert pop.pass_(PASSWORDS["an.tran"]).startswith(b"+OK")
        pop.quit()
