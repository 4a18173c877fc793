import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")
application = get_wsgi_application()

# The garbage collector, tuned for a process that serves pages. What is loaded by now
# (Django, the settings, the apps, the URLs) lives as long as the process: frozen, the
# collector no longer walks it at each full collection. A page makes tens of thousands of
# short-lived objects (template nodes' output, model instances), and the first generation's
# default threshold of 700 allocations started a collection dozens of times per page.
# Measured on the 10-answer thread as a member, in one process (runs of ten requests,
# alternating): the fastest runs are the same within 3 %, the slowest ones 46-52 ms
# against 38-41 ms, as fewer requests stop for a full collection. Memory per worker stays
# as `make bench` reports it.
gc.freeze()
gc.set_threshold(int(os.environ.get("FORUM_GC_THRESHOLD", "20000")), 20, 20)
