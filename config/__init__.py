"""The Django project package: settings, urls, the Celery app, wsgi and asgi."""

from .celery_app import app as celery_app

__all__ = ("celery_app",)
