"""IMAP migration: copying mailboxes from another IMAP server into HopThu accounts.

A job (models.MigrationJob) names the old server and, per source account, the login and
the HopThu account to fill. jobs.py creates, claims, resumes and ends jobs; source.py
talks to the old server through IMAPClient; copying.py copies one account's folders
through store.append; folder_map.py maps folder names and RFC 6154 special uses.
docs/migration.md describes it for operators.
"""
