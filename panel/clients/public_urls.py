"""Public client-setup URLs (autoconfig, autodiscover); built by the clients area."""
urlpatterns = []
