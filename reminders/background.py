"""Django's tasks framework, on Django 6.1 and on the Python 3.11 fallback (Django 5.2 LTS + the backport).

Apps declare their background work with `@task` from here, so the one difference between the two lives in
one place.
"""

try:
    from django.tasks import task
except ImportError:  # Django 5.2 LTS: django-tasks, the backport the built-in framework came from
    from django_tasks import task  # type: ignore[no-redef]

__all__ = ["task"]
