"""Folders, messages and blobs with IMAP semantics (RFC 9051 §2.3.1, RFC 7162 §3.1).

Invariants (kept by append.py and messages.py, never by callers):
- a folder's UIDs strictly increase in commit order: a UID is taken from Folder.uidnext
  with the folder row locked until commit, so no later UID becomes visible first;
- every change to a message takes a new MODSEQ from Folder.highestmodseq the same way;
- a Message row commits only after its blob file is durable on disk;
- Account.used_bytes / message_count change in the same transaction as the messages.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _

from mailcore.directory.models import Account

from .collation import MAX_KEY_CHARS, OctetOrder

# RFC 6154 special-use attributes of the folders every account starts with.
SPECIAL_USE_FOLDERS = [
    ("Sent", "\\Sent"),
    ("Drafts", "\\Drafts"),
    ("Junk", "\\Junk"),
    ("Trash", "\\Trash"),
    ("Archive", "\\Archive"),
]
INBOX = "INBOX"
DELIMITER = "/"
# The message list's first text sort keys: the first SORT_PREFIX characters of the
# lower-cased subject and sender. Replaced by the stored keys of sortkeys.py; the two
# expressions stay because migration 0005 names them.
SORT_PREFIX = 100


class SortPrefix(models.Func):
    """SUBSTR(expr, 1, SORT_PREFIX) with literal bounds: a query's ORDER BY must spell the
    index's expression exactly, and Substr() would send the bounds as parameters."""

    function = "SUBSTR"
    template = f"%(function)s(%(expressions)s, 1, {SORT_PREFIX})"
    output_field = models.CharField()


class SenderName(models.Func):
    """COALESCE(NULLIF(from_name, ''), from_address), with '' spelled in the SQL for the
    same reason: the name people see, or the address when there is none."""

    template = "COALESCE(NULLIF(%(expressions)s)"
    arg_joiner = ", ''), "
    output_field = models.CharField()


class FolderCounter(models.Model):
    """The last UIDVALIDITY handed out in an account, so a name never gets one twice
    (RFC 9051 §2.3.1.1), even after the folder that held the highest is deleted."""

    account = models.OneToOneField(Account, on_delete=models.CASCADE, primary_key=True, related_name="+")
    last_uidvalidity = models.PositiveBigIntegerField(default=0)


class Folder(models.Model):
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="folders")
    name = models.CharField(_("name"), max_length=512)  # full path, "/"-separated, Unicode
    special_use = models.CharField(max_length=16, blank=True)
    uidvalidity = models.PositiveBigIntegerField()
    uidnext = models.PositiveBigIntegerField(default=1)
    highestmodseq = models.PositiveBigIntegerField(default=1)
    # RFC 3501 §2.3.2 \Recent: messages from this UID up have not been claimed by an IMAP
    # session yet (recent.py). Only ever raised, to a value uidnext had.
    first_recent_uid = models.PositiveBigIntegerField(default=1)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["account", "name"], name="folder_unique_name")
        ]

    def __str__(self):
        return self.name


class Subscription(models.Model):
    """A name on the account's subscription list (RFC 9051 §6.3.7, RFC 3501 §6.3.6).

    Kept apart from Folder: a subscription outlives the folder's DELETE, and such a
    name is listed as \\NonExistent (RFC 5258 §3.4) until the client unsubscribes.
    """

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="subscriptions")
    name = models.CharField(max_length=512)  # a folder path as in Folder.name

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "name"], name="subscription_unique_name")
        ]

    def __str__(self):
        return self.name


class MaildropLock(models.Model):
    """POP3's exclusive maildrop lock (RFC 1939 §8), in the database so that it holds
    across processes and nodes; a lease, so that a node that dies frees it (maildrop.py)."""

    account = models.OneToOneField(Account, on_delete=models.CASCADE, primary_key=True, related_name="+")
    holder = models.CharField(max_length=64)  # the holding session's random token
    expires = models.DateTimeField()


class Blob(models.Model):
    """An immutable message body on disk, named by its SHA-256; shared by every copy."""

    digest = models.CharField(max_length=64, unique=True)
    size = models.PositiveBigIntegerField()
    created = models.DateTimeField(auto_now_add=True)


class BlobData(models.Model):
    """A blob's bytes, when HOPTHU_BLOB_STORE is "postgres" (blobs.py): every node reads
    them from the database, so a cluster needs no shared filesystem."""

    blob = models.OneToOneField(Blob, on_delete=models.CASCADE, primary_key=True, related_name="+")
    data = models.BinaryField()


class Message(models.Model):
    folder = models.ForeignKey(Folder, on_delete=models.CASCADE, related_name="messages")
    # Denormalised from folder so account-wide search and quota need no join.
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    uid = models.PositiveBigIntegerField()
    modseq = models.PositiveBigIntegerField()
    # RFC 9051 §2.3.2 system flags; keywords are the other flags, stored sorted.
    seen = models.BooleanField(default=False)
    answered = models.BooleanField(default=False)
    flagged = models.BooleanField(default=False)
    deleted = models.BooleanField(default=False)
    draft = models.BooleanField(default=False)
    keywords = models.JSONField(default=list)
    internal_date = models.DateTimeField()
    size = models.PositiveBigIntegerField()  # of trace + blob: the message as IMAP serves it
    blob = models.ForeignKey(Blob, on_delete=models.PROTECT, related_name="messages")
    # Trace header fields of this copy alone (Return-Path, Delivered-To: RFC 5321 §4.4),
    # served before the blob, so every recipient of one message shares one blob.
    trace = models.BinaryField(default=b"", blank=True)
    # Parsed once at append (mailcore.mime.summary).
    subject = models.TextField(blank=True)
    from_address = models.CharField(max_length=320, blank=True)
    from_name = models.CharField(max_length=200, blank=True)
    to_addresses = models.TextField(blank=True)
    date = models.DateTimeField(null=True)
    message_id = models.CharField(max_length=998, blank=True)
    in_reply_to = models.CharField(max_length=998, blank=True)
    references = models.TextField(blank=True)
    thread = models.CharField(max_length=24, blank=True, default="")  # mime.summary.thread_key
    has_attachments = models.BooleanField(default=False)
    preview = models.CharField(max_length=256, blank=True)
    envelope = models.JSONField(default=list)  # RFC 9051 §7.5.2 ENVELOPE fields, decoded
    structure = models.JSONField(default=dict)  # MIME tree with byte offsets into the blob
    # Which parser wrote envelope and structure (mime.summary.SUMMARY_VERSION); rows from
    # before versions are 1, and are parsed again when read (store/summaries.py).
    summary_version = models.PositiveSmallIntegerField(default=1)
    # Sort keys in their compared form (sortkeys.py): the base subject (RFC 5256 §2.1) and
    # the display names of the first From and To addresses (RFC 5957 §3), so IMAP SORT and
    # the webmail's list order by the same values, in the database.
    sort_subject = models.CharField(max_length=MAX_KEY_CHARS, blank=True, default="")
    sort_display_from = models.CharField(max_length=MAX_KEY_CHARS, blank=True, default="")
    sort_display_to = models.CharField(max_length=MAX_KEY_CHARS, blank=True, default="")
    # The webmail list's sort by subject and by sender: the same base subject and DISPLAYFROM
    # value, in reading order (Vietnamese collation: reading_order.py, issue 17 point 12).
    subject_key = models.BinaryField(default=b"", editable=False)
    sender_key = models.BinaryField(default=b"", editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["folder", "uid"], name="message_unique_uid")
        ]
        indexes = [
            models.Index(fields=["folder", "internal_date"], name="message_folder_date"),
            models.Index(fields=["folder", "modseq"], name="message_folder_modseq"),
            models.Index(fields=["folder", "seen"], name="message_folder_seen"),
            models.Index(fields=["account", "message_id"], name="message_account_msgid"),
            # The message list (listing.py): one index per sort key; conversations are
            # grouped from the thread index alone (it holds every column they count).
            models.Index(fields=["folder", "size"], name="message_folder_size"),
            models.Index("folder", OctetOrder("sort_subject"), name="message_folder_sort_subject"),
            models.Index("folder", OctetOrder("sort_display_from"), name="message_folder_sort_from"),
            models.Index("folder", OctetOrder("sort_display_to"), name="message_folder_sort_to"),
            models.Index(fields=["folder", "subject_key", "id"], name="message_folder_subject_key"),
            models.Index(fields=["folder", "sender_key", "id"], name="message_folder_sender_key"),
            models.Index(fields=["folder", "thread", "internal_date", "uid", "seen"], name="message_folder_thread"),
            # IMAP SEARCH of a text key walks the folder for (uid, modseq, blob) and probes
            # SearchText by blob: from this index alone, not the wide message rows.
            models.Index(fields=["folder", "uid", "modseq", "blob"], name="message_folder_search"),
        ]

    SYSTEM_FLAGS = {
        "\\Seen": "seen",
        "\\Answered": "answered",
        "\\Flagged": "flagged",
        "\\Deleted": "deleted",
        "\\Draft": "draft",
    }

    @property
    def flags(self) -> list[str]:
        """All flags in IMAP form: system flags first, then keywords."""
        system = [flag for flag, attr in self.SYSTEM_FLAGS.items() if getattr(self, attr)]
        return system + list(self.keywords)


class Expunged(models.Model):
    """A UID removed from a folder, and the MODSEQ of its removal (RFC 7162 §3.2.10)."""

    folder = models.ForeignKey(Folder, on_delete=models.CASCADE, related_name="expunged")
    uid = models.PositiveBigIntegerField()
    modseq = models.PositiveBigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["folder", "modseq"], name="expunged_folder_modseq")]


class SearchText(models.Model):
    """What IMAP SEARCH and SORT read of a body, folded once at append (search/text.py).

    One row per blob, shared by every copy of the message, and removed with the blob.
    """

    blob = models.OneToOneField(Blob, on_delete=models.CASCADE, primary_key=True, related_name="search_text")
    subject = models.TextField(blank=True)
    from_text = models.TextField(blank=True)
    to_text = models.TextField(blank=True)
    cc_text = models.TextField(blank=True)
    bcc_text = models.TextField(blank=True)
    headers = models.TextField(blank=True)  # "\n" + one folded "name: value" line per field + "\n"
    body = models.TextField(blank=True)
    beyond_index = models.BooleanField(default=False)  # the word index holds only part of the body
    sent_date = models.DateField(null=True)  # the Date field's day in its own time zone
    # RFC 5256 §3: the addr-mailbox of the first address, in its compared form (sortkeys.py).
    sort_from = models.CharField(max_length=200, blank=True)
    sort_to = models.CharField(max_length=200, blank=True)
    sort_cc = models.CharField(max_length=200, blank=True)

    class Meta:
        # The few bodies the word index holds only in part: every BODY/TEXT search reads them.
        indexes = [models.Index(fields=["blob"], condition=models.Q(beyond_index=True), name="searchtext_beyond_index")]


class RecoverableMessage(models.Model):
    """A message expunged or deleted with its folder, kept HOPTHU_RECOVERY_DAYS so its
    owner can bring it back (recovery.py, docs/recovery.md).

    It is outside every folder's UID space: IMAP, POP3 and the webmail's folders never
    see it, and its old UID is never used again (RFC 3501 §2.3.1.1). Recovering appends
    it afresh (a new UID). It holds its blob, so blob collection (gc.py) keeps the body
    until the row is purged; it does not count toward the quota.
    """

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    # The folder it left, while that folder exists (its current name, after a rename);
    # folder_name is where it was, to recreate a folder deleted since.
    folder = models.ForeignKey(Folder, null=True, on_delete=models.SET_NULL, related_name="+")
    folder_name = models.CharField(max_length=512)
    removed = models.DateTimeField(db_index=True)
    # Flags to restore: the system flags but \Deleted, and keywords (IMAP form).
    flags = models.JSONField(default=list)
    internal_date = models.DateTimeField()
    size = models.PositiveBigIntegerField()
    blob = models.ForeignKey(Blob, on_delete=models.PROTECT, related_name="recoverable")
    trace = models.BinaryField(default=b"", blank=True)
    # Enough of the summary to list and search them.
    subject = models.TextField(blank=True)
    from_address = models.CharField(max_length=320, blank=True)
    from_name = models.CharField(max_length=200, blank=True)
    date = models.DateTimeField(null=True)
    has_attachments = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["account", "removed"], name="recoverable_account_removed")]
