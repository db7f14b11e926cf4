"""The dashboard's held accounts: the notice, the table with its two buttons, in Vietnamese too."""
from django.urls import reverse
from django.utils import timezone

from mailcore.sending_alerts.models import SendingState
from tests.panel.test_vietnamese_pages import english, english_on, vi_admin  # noqa: F401 (fixtures)
from tests.test_translations import compiled_messages  # noqa: F401 (fixture)


def hold(account):
    return SendingState.objects.create(account=account, held=True, reason="new_recipients",
                                       detail="51 new recipients this hour (limit 50)", held_at=timezone.now())


def test_a_domain_admin_sees_the_held_account_with_release_buttons(owner_client, alice):
    hold(alice)
    html = owner_client.get(reverse("panel:home")).content.decode()
    assert "The outbound mail of 1 account is held." in html
    assert "many new recipients" in html and "51 new recipients this hour" in html
    assert reverse("panel:release_sending", args=[alice.pk]) in html
    assert 'name="trust" value="1"' in html


def test_no_table_when_nothing_is_held(owner_client, alice):
    html = owner_client.get(reverse("panel:home")).content.decode()
    assert "Held outbound mail" not in html and "is held" not in html


def test_release_is_post_only(owner_client, alice):
    hold(alice)
    assert owner_client.get(reverse("panel:release_sending", args=[alice.pk])).status_code == 405
    assert SendingState.objects.get(account=alice).held


def test_the_held_accounts_read_in_vietnamese(vi_admin, alice, english):  # noqa: F811
    hold(alice)
    assert english_on(vi_admin, [reverse("panel:home")], english) == []
    html = vi_admin.get(reverse("panel:home")).content.decode()
    assert english["Release and trust"] in html and english["many new recipients"] in html
