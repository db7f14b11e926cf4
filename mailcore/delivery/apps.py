from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "mailcore.delivery"
    label = "delivery"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import queue, tasks

        queue.on_enqueued(tasks.on_commit_send)
