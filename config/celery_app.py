"""The Celery application: broker and schedule come from Django settings (CELERY_*)."""

import os

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("platform")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def _freeze_startup_objects(**kwargs):
    """Each worker process keeps what start-up built out of the collector's walks."""
    from config.gc_tuning import freeze_startup_objects

    freeze_startup_objects()
