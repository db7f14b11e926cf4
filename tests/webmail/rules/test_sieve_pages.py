"""Export my rules as a Sieve script and import one: all or nothing, problems by line."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mailcore.delivery.models import MailRule

pytestmark = pytest.mark.django_db


def test_export_downloads_only_my_rules_as_application_sieve(alice_client, alice, bob):
    MailRule.objects.create(account=alice, name="mine", actions=[{"action": "move", "folder": "Archive"}])
    MailRule.objects.create(account=bob, name="bobs", actions=[{"action": "discard"}])
    response = alice_client.get(reverse("webmail:settings_rules_export"))
    assert response["Content-Type"].startswith("application/sieve")
    assert response["Content-Disposition"] == f'attachment; filename="{alice.address}.sieve"'
    script = response.content.decode()
    assert "# rule: mine" in script and 'fileinto "Archive";' in script and "bobs" not in script


def test_import_a_file_adds_the_rules(alice_rechecked, alice):
    upload = SimpleUploadedFile("rules.sieve", b'require "fileinto";\n# rule: Lists\n'
                                b'if header :contains "list-id" "dev" { fileinto "Lists"; }\n')
    response = alice_rechecked.post(reverse("webmail:settings_rules_import"), {"script_file": upload})
    assert response.status_code == 302
    rule = alice.mail_rules.get()
    assert rule.name == "Lists" and rule.conditions == [
        {"field": "header", "header": "list-id", "op": "contains", "value": "dev"}]


def test_a_bad_script_is_listed_by_line_and_nothing_is_imported(alice_rechecked, alice):
    script = '# rule: fine\nif true { stop; }\nif true {\n  reject "no";\n}\n'
    response = alice_rechecked.post(reverse("webmail:settings_rules_import"), {"script": script})
    page = response.content.decode()
    assert response.status_code == 200 and "Line 4:" in page and "reject" in page
    assert not alice.mail_rules.exists()


@pytest.mark.parametrize("script", ["if", "\x01\x02", "}" * 100, "if " + "(" * 10000, "text:\n" + "x" * 1000])
def test_hostile_pasted_scripts_get_a_page_with_problems_never_a_500(alice_rechecked, alice, script):
    response = alice_rechecked.post(reverse("webmail:settings_rules_import"), {"script": script})
    assert response.status_code == 200 and "Line " in response.content.decode()
    assert not alice.mail_rules.exists()


def test_a_null_character_is_a_form_error(alice_rechecked, alice):
    response = alice_rechecked.post(reverse("webmail:settings_rules_import"), {"script": "if \x00"})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert not alice.mail_rules.exists()


def test_nothing_chosen_is_a_form_error(alice_rechecked):
    response = alice_rechecked.post(reverse("webmail:settings_rules_import"), {})
    assert "Choose a script file or paste a script." in response.content.decode()


def test_export_then_import_with_replace_keeps_the_rules(alice_rechecked, alice):
    MailRule.objects.create(account=alice, name="one", conditions=[
        {"field": "from", "op": "is", "value": "boss@example.org"}], actions=[{"action": "flag"}])
    script = alice_rechecked.get(reverse("webmail:settings_rules_export")).content
    alice_rechecked.post(reverse("webmail:settings_rules_import"), {"script": script.decode(), "replace": "on"})
    assert list(alice.mail_rules.values_list("name", "conditions")) == [
        ("one", [{"field": "from", "op": "is", "value": "boss@example.org"}])]


def test_an_address_in_unicode_names_the_file_with_filename_star(alice_client, alice):
    type(alice).objects.filter(pk=alice.pk).update(localpart="thư")
    response = alice_client.get(reverse("webmail:settings_rules_export"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''th%C6%B0%40example.test.sieve"


def test_the_rules_page_in_vietnamese(alice_client, alice):
    alice_client.cookies["django_language"] = "vi"
    page = alice_client.get(reverse("webmail:settings_rules"), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Xuất dạng Sieve" in page and "Nhập script Sieve" in page
