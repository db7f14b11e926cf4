"""The domain page's sending-alert thresholds: shown, saved by the domain's admin, audited,
refused when negative, and out of reach of another domain's admin."""
from django.urls import reverse

from mailcore.audit.models import AuditEntry
from mailcore.directory.models import Domain

FORM = {"send_alert_floor": "40", "send_alert_factor": "3", "send_alert_new_recipients": "20"}


def test_the_domain_page_shows_the_defaults(owner_client):
    page = owner_client.get(reverse("panel:domain_detail", args=["example.test"])).content.decode()
    assert "Sending alerts" in page
    assert 'name="send_alert_floor" value="100"' in page
    assert 'name="send_alert_new_recipients" value="50"' in page


def test_the_domains_admin_saves_the_thresholds_and_it_is_audited(owner_client):
    response = owner_client.post(reverse("panel:domain_sending_alerts", args=["example.test"]), FORM)
    assert response.status_code == 302
    domain = Domain.objects.get(name="example.test")
    assert (domain.send_alert_floor, domain.send_alert_factor, domain.send_alert_new_recipients,
            domain.send_alert_new_network) == (40, 3, 20, False)
    entry = AuditEntry.objects.get(action="domain.update")
    assert entry.after == {"send_alert_floor": 40, "send_alert_factor": 3, "send_alert_new_recipients": 20,
                           "send_alert_new_network": False}


def test_a_negative_threshold_is_refused_on_its_field(owner_client):
    response = owner_client.post(reverse("panel:domain_sending_alerts", args=["example.test"]),
                                 {**FORM, "send_alert_factor": "-1", "send_alert_new_network": "on"})
    assert response.status_code == 400
    assert "Ensure this value is greater than or equal to 0." in response.content.decode()
    assert Domain.objects.get(name="example.test").send_alert_factor == 5


def test_another_domains_admin_cannot_change_them(owner_client):
    response = owner_client.post(reverse("panel:domain_sending_alerts", args=["example.org"]), FORM)
    assert response.status_code == 404
    assert Domain.objects.get(name="example.org").send_alert_floor == 100
