from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache


@never_cache
def health(request):
    """Answers 200 when the application can reach its database (for load balancers)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def bench_ceiling(request):
    """The benchmark's ceiling (`make bench`): a few bytes through the whole middleware
    stack, with no database and no template, so each page's rate can be read as a share
    of what the framework itself manages on the same machine."""
    return HttpResponse(b"ok", content_type="text/plain")
