"""Signals the store sends so other parts of mailcore can follow what users do, without
the store importing them (the filters learn from moves into and out of Junk).

messages_moved is sent once per move or copy, after its transaction commits, with:
  account_id   the account whose messages moved
  source       the Folder they came from
  target       the Folder they went to
  message_ids  the Message ids moved (a move keeps them) or copied (the originals');
               a receiver reads what it needs of them, so a move nobody cares about
               costs no query
  copied       True for a copy (the originals stay), False for a move
Receivers run in the thread that moved the messages (never an event loop: IMAP runs the
store in its thread pool); an exception in one is logged and does not undo the move.
"""
from django.dispatch import Signal

messages_moved = Signal()
