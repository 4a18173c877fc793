# Celery's application loads with Django, so that tasks enqueued by the site use its
# settings and `celery -A forum` finds it.
from forum.celery import app as celery_app

__all__ = ["celery_app"]
