"""Filters and rule hooks used by test_filters_and_rules.py through settings (dotted paths)."""
from mailcore.filters import ACCEPT, MessageFilter, Verdict


class TagEverything(MessageFilter):
    def check(self, raw, mail_from, recipients):
        return Verdict(headers=b"X-Test-Filter: seen\r\n")


class JunkOrDiscard(MessageFilter):
    def check(self, raw, mail_from, recipients):
        if b"Subject: cheap pills" in raw:
            return Verdict("junk", "looks like spam", b"X-Spam-Status: Yes\r\n")
        if b"Subject: drop me" in raw:
            return Verdict("discard", "unwanted")
        if b"Subject: reject me" in raw:
            return Verdict("reject", "policy says no")
        return ACCEPT


def invoices_to_archive(account_id, headers, folder):
    if "invoice" in (headers.get("subject") or "").lower():
        return "Archive"
    return folder


def to_a_missing_folder(account_id, headers, folder):
    return "No Such Folder"
