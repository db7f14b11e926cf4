"""Sort keys stored in their compared form (mailcore/store/sortkeys.py): the base subject
and the RFC 5957 display names on Message, for IMAP SORT and the webmail's list alike;
the RFC 5256 address keys of SearchText case-mapped in place."""
from django.db import migrations, models

from mailcore.mime.headers import envelope_from_headers
from mailcore.mime.structure import parse_message
from mailcore.mime.summary import SUMMARY_VERSION
from mailcore.store import blobs
from mailcore.store.collation import OctetOrder, sort_key
from mailcore.store.search.text import base_subject
from mailcore.store.sortkeys import message_keys

BATCH = 2000
KEYS = ("sort_subject", "sort_display_from", "sort_display_to")


def _fresh_envelope(Blob, blob_id: int, cache: dict):
    """The ENVELOPE the current parser makes of a blob (FETCH would refresh the row's to
    it: store/summaries.py), or None when the blob can't be read."""
    if blob_id not in cache:
        try:
            raw = blobs.read(Blob.objects.only("digest").get(pk=blob_id).digest)
        except (OSError, Blob.DoesNotExist):
            cache[blob_id] = None
        else:
            _structure, headers = parse_message(raw)
            cache[blob_id] = envelope_from_headers(headers)
    return cache[blob_id]


def fill_message_keys(apps, schema_editor):
    """Every stored message gets its keys from its subject and envelope, as an append
    would make them; an envelope written by an older parser is made again first."""
    Message = apps.get_model("store", "Message")
    Blob = apps.get_model("store", "Blob")
    rows = Message.objects.order_by("pk").values_list("pk", "subject", "envelope", "summary_version", "blob_id")
    fresh: dict = {}
    batch = []
    for pk, subject, envelope, version, blob_id in rows.iterator(chunk_size=BATCH):
        if version < SUMMARY_VERSION:
            envelope = _fresh_envelope(Blob, blob_id, fresh) or envelope
        batch.append(Message(pk=pk, **message_keys(subject, envelope)))
        if len(batch) >= BATCH:
            Message.objects.bulk_update(batch, KEYS)
            batch = []
    Message.objects.bulk_update(batch, KEYS)


def casemap_address_keys(apps, schema_editor):
    """SearchText's FROM/TO/CC keys were stored as written; SORT now compares them in the
    database, so they are stored case-mapped (collation.sort_key)."""
    SearchText = apps.get_model("store", "SearchText")
    fields = ("sort_from", "sort_to", "sort_cc")
    batch = []
    for pk, *values in SearchText.objects.order_by("pk").values_list("pk", *fields).iterator(chunk_size=BATCH):
        keys = [sort_key(value) for value in values]
        if keys != values:
            batch.append(SearchText(pk=pk, **dict(zip(fields, keys, strict=True))))
        if len(batch) >= BATCH:
            SearchText.objects.bulk_update(batch, fields)
            batch = []
    SearchText.objects.bulk_update(batch, fields)


def refill_text_subjects(apps, schema_editor):
    """Backwards: SearchText.sort_subject is back, and the former SORT reads it."""
    Message = apps.get_model("store", "Message")
    SearchText = apps.get_model("store", "SearchText")
    subjects = dict(Message.objects.order_by("blob_id", "pk").values_list("blob_id", "subject").distinct())
    batch = [SearchText(pk=blob_id, sort_subject=base_subject(subject)) for blob_id, subject in subjects.items()]
    SearchText.objects.bulk_update(batch, ["sort_subject"], batch_size=BATCH)


class Migration(migrations.Migration):

    dependencies = [
        ('store', '0009_search_text'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='message',
            name='message_folder_subject',
        ),
        migrations.RemoveIndex(
            model_name='message',
            name='message_folder_sender',
        ),
        migrations.RunPython(migrations.RunPython.noop, refill_text_subjects, elidable=True),
        migrations.RemoveField(
            model_name='searchtext',
            name='sort_subject',
        ),
        # ADD COLUMN with a constant default, on SQLite too, where AddField of a NOT NULL
        # column copies the whole message table (once per column).
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunSQL(
                [f"ALTER TABLE store_message ADD COLUMN {name} varchar(200) NOT NULL DEFAULT ''" for name in KEYS],
                [f"ALTER TABLE store_message DROP COLUMN {name}" for name in KEYS],
            )],
            state_operations=[
                migrations.AddField(
                    model_name='message',
                    name=name,
                    field=models.CharField(blank=True, default='', max_length=200),
                ) for name in KEYS
            ],
        ),
        migrations.RunPython(fill_message_keys, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(casemap_address_keys, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name='message',
            index=models.Index(models.F('folder'), OctetOrder('sort_subject'), name='message_folder_sort_subject'),
        ),
        migrations.AddIndex(
            model_name='message',
            index=models.Index(models.F('folder'), OctetOrder('sort_display_from'), name='message_folder_sort_from'),
        ),
        migrations.AddIndex(
            model_name='message',
            index=models.Index(models.F('folder'), OctetOrder('sort_display_to'), name='message_folder_sort_to'),
        ),
    ]
