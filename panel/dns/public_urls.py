"""Public DNS-related URLs (the MTA-STS policy file); built by the dns area."""
urlpatterns = []
