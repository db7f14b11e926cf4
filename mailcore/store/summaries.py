"""Stored summaries written by an older parser, brought up to date when read.

The ENVELOPE and MIME tree are parsed once at append and served from the row
(mailcore.mime.summary). When the parser's answer changes (SUMMARY_VERSION), rows
written before are parsed again from their blob the first time FETCH or the webmail
reads them, and the new envelope and tree are written back to every row sharing that
blob. No migration has to read every blob at upgrade time, and a row that is never
read costs nothing.

Only the envelope and the tree are refreshed, with the display-name sort keys made from
the envelope (RFC 5957, sortkeys.py; the list's sender key in reading order too), so SORT
DISPLAYFROM agrees with the ENVELOPE FETCH now serves; the list and search columns
(subject, sender, preview, the search index) keep what the first parse found.
"""
import logging

from django.db import DatabaseError

from mailcore.mime.headers import envelope_from_headers
from mailcore.mime.structure import parse_message
from mailcore.mime.summary import SUMMARY_VERSION

from . import blobs
from .models import Blob, Message
from .sortkeys import display_keys, reading_display_keys

log = logging.getLogger(__name__)


def refresh_stale(messages) -> None:
    """Bring the envelope and structure of these rows up to date, in place and stored.

    messages: Message instances or rows with blob_id, summary_version, envelope and
    structure attributes. A blob that can't be read keeps its old summary.
    """
    stale = [message for message in messages if message.summary_version < SUMMARY_VERSION]
    if not stale:
        return
    digests = dict(Blob.objects.filter(pk__in={message.blob_id for message in stale}).values_list("id", "digest"))
    fresh = {}
    for blob_id, digest in digests.items():
        try:
            raw = blobs.read(digest)
        except OSError:
            log.warning("blob %s unreadable: its stored summary is served as it is", digest)
            continue
        structure, headers = parse_message(raw)
        fresh[blob_id] = (envelope_from_headers(headers), structure)
        _store(blob_id, *fresh[blob_id])
    for message in stale:
        if message.blob_id in fresh:
            message.envelope, message.structure = fresh[message.blob_id]
            message.summary_version = SUMMARY_VERSION


def _store(blob_id: int, envelope: list, structure: dict) -> None:
    """Write the new summary to every row of this blob (recipients and copies share it).

    A metadata correction, not a change of the message: MODSEQ stays (RFC 7162 §3.1.1
    counts changes of flags and of the message's presence).
    """
    try:
        Message.objects.filter(blob_id=blob_id, summary_version__lt=SUMMARY_VERSION).update(
            envelope=envelope, structure=structure, summary_version=SUMMARY_VERSION, **display_keys(envelope),
            **reading_display_keys(envelope))
    except DatabaseError:  # busy database: serve the fresh summary now, store it next time
        log.warning("could not store the refreshed summary of blob %s", blob_id, exc_info=True)
