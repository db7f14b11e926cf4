"""Running the mail core: the Celery worker bootstep, the listener host, health."""
