"""The questions app's background tasks (forum/celery.py runs them)."""

from celery import shared_task

from questions import view_counts


@shared_task
def view_counts_flush():
    """Writes the views counted in the cache to the threads (beat runs it every few
    minutes, in place of the cron job that ran `manage.py flush_view_counts`)."""
    return view_counts.view_counts_flush()
