"""Django in the bench script's own process, for the benchmarks that call the services
directly (bench/notifications.py, bench/spam.py): production settings on the bench's
database, background tasks run in-process (no broker), email kept in memory."""

import os
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def django_setup(database_url):
    for name in ("REDIS_URL", "CELERY_BROKER_URL", "EMAIL_HOST", "EMAIL_FILE_PATH", "DJANGO_DEBUG"):
        os.environ.pop(name, None)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="forum.settings",
        DATABASE_URL=database_url,
        SECRET_KEY=secrets.token_urlsafe(50),
    )
    sys.path.insert(0, str(ROOT))
    import django
    from django.conf import settings

    django.setup()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
