"""The Celery application: background tasks on Redis (settings: CELERY_*).

Without a broker (no REDIS_URL) tasks run in the process that enqueues them, right after
the commit of the change they follow (Celery's eager mode), so the embedded default needs
no worker. With one, `make worker` starts a worker with beat.
"""

import os

from celery import Celery

from core.metrics import celery_signals_connect

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")

app = Celery("forum")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# The app of every thread, not only of the one that made it: a task enqueued from another
# thread (a threaded server's request) would otherwise go to a default app of Celery's own,
# with none of these settings.
app.set_default()
celery_signals_connect()
