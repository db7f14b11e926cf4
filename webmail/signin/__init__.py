"""Sign-in through django-allauth: addresses and passwords checked by mailcore.auth."""
