"""Seal the TOTP secrets and recovery-code seeds stored before MFA secrets were sealed
(issue 16: MFA secrets encrypted at rest)."""
from django.db import migrations

from mailcore.auth.sealing import is_sealed, seal

PURPOSE = "mfa"  # webmail.signin.adapter.MFA_PURPOSE


def seal_existing(apps, schema_editor):
    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.filter(type__in=["totp", "recovery_codes"]):
        data = dict(authenticator.data)
        for key in ("secret", "seed"):
            if isinstance(data.get(key), str) and not is_sealed(data[key]):
                data[key] = seal(data[key], PURPOSE)
        if isinstance(data.get("migrated_codes"), list):
            data["migrated_codes"] = [code if is_sealed(code) else seal(code, PURPOSE)
                                      for code in data["migrated_codes"]]
        if data != authenticator.data:
            authenticator.data = data
            authenticator.save(update_fields=["data"])


class Migration(migrations.Migration):
    dependencies = [
        ("mailauth", "0001_initial"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]
    operations = [migrations.RunPython(seal_existing, migrations.RunPython.noop)]
