from django.db import migrations, models
from django.db.models import F


def nothing_recent(apps, schema_editor):
    """Mail stored before \\Recent was kept is old: no session gets it as recent."""
    apps.get_model("store", "Folder").objects.update(first_recent_uid=F("uidnext"))


class Migration(migrations.Migration):

    dependencies = [
        ('store', '0007_message_summary_version'),
    ]

    operations = [
        migrations.AddField(
            model_name='folder',
            name='first_recent_uid',
            field=models.PositiveBigIntegerField(default=1),
        ),
        migrations.RunPython(nothing_recent, migrations.RunPython.noop),
    ]
