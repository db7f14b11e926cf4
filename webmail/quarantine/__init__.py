"""A user's own quarantined mail: see why it was held, release it to the Inbox, or delete it."""
