"""Who reaches the panel: superadmins and domain admins; mail users and strangers do not."""
from mailcore.audit.models import AuditEntry


def test_the_root_sends_a_stranger_to_sign_in(client, db):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_root_sends_admins_to_the_panel_and_users_to_the_webmail(super_client, alice, client):
    assert super_client.get("/")["Location"] == "/panel/"
    client.force_login(alice.user)
    assert client.get("/")["Location"] == "/mail/"


def test_a_mail_user_is_refused_the_panel(client, alice):
    client.force_login(alice.user)
    assert client.get("/panel/").status_code == 403


def test_a_domain_admin_sees_the_overview_but_not_the_superadmin_links(owner_client):
    response = owner_client.get("/panel/")
    assert response.status_code == 200
    assert b"/panel/domains/admins/" not in response.content


def test_a_superadmin_sees_the_superadmin_links(super_client):
    assert b"/panel/domains/admins/" in super_client.get("/panel/").content


def test_a_signed_out_visitor_is_sent_to_sign_in(client, db):
    response = client.get("/panel/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_health_endpoint_answers_without_signing_in(client, db):
    assert client.get("/healthz").json()["web"] == "ok"


def test_an_audit_entry_names_who_what_and_from_where(rf, superadmin, domain):
    from panel.access import audit

    request = rf.post("/panel/x", REMOTE_ADDR="192.0.2.7")
    request.user = superadmin
    audit(request, "domain.update", domain, domain=domain.name, before={"active": True}, after={"active": False})
    entry = AuditEntry.objects.get()
    assert (entry.actor_name, entry.ip) == ("root", "192.0.2.7")
    assert (entry.object_type, entry.object_repr) == ("domain", "example.test")
    assert entry.before == {"active": True} and entry.after == {"active": False}
