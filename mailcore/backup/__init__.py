"""Backups: consistent archives of a running installation, verified and restored.

`create` snapshots the database (SQLite's online backup API, or pg_dump of an exported
PostgreSQL snapshot), then copies the bodies that snapshot refers to, the DKIM keys and the
TLS files, with a manifest of counts and checksums (archive.py). `verify` checks an archive
and restores its database into a scratch one; `restore` rebuilds a whole installation in an
empty var directory, or puts one account or folder back into a running one through the
store's append (docs/backup.md).
"""
