"""The REST API under /api/v1/ (docs/api.md): a thin layer over the same mailcore services
the panel calls, scoped by the role of the token's owner, audited like the panel."""
