"""gunicorn's configuration for Stapel in production: `gunicorn -c deploy/gunicorn.conf.py`.

Threaded workers (gthread): a client that sends its request slowly holds one thread, not
a whole process, so a few half-sent requests cannot stall the site (with sync workers,
four of them stopped a four-worker server for 30 s). nginx in front (see the deployment
notes) buffers whole requests before they reach gunicorn, which closes the rest of that
gap. The numbers come from the environment where a deployment may want others.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
worker_class = "gthread"
# One process per core this process may use (a container's or a systemd CPU limit counts,
# the machine's other cores do not): the pages are mostly Python work. Threads cover the
# waits on the database and on slow clients.
workers = int(os.environ.get("GUNICORN_WORKERS", len(os.sched_getaffinity(0))))
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
# A request has this long to be answered; a worker that hangs longer is restarted.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# X-Forwarded-Proto (whether the visitor came over HTTPS) is believed from the reverse
# proxies in FORUM_TRUSTED_PROXIES only, the same list the site reads X-Forwarded-For by.
forwarded_allow_ips = os.environ.get("FORUM_TRUSTED_PROXIES", "")
# Idle keep-alive connections are closed quickly: each one holds a thread's slot.
keepalive = 2
# Limits on the request line and headers, as Django needs no more.
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190
# Workers are renewed now and then, so that no slow leak grows without bound.
max_requests = 5000
max_requests_jitter = 500
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "warning").lower()
