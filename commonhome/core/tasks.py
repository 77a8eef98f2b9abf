"""The background task decorator every app uses.

Django 6 ships the tasks framework; before that the django-tasks package provides the same
API. Tasks take plain, JSON-able arguments (ids), since a worker may run them in another
process.
"""

try:
    from django.tasks import task  # type: ignore[import-not-found]
except ImportError:
    from django_tasks import task

__all__ = ["task"]
