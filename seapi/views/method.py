"""What every Stack Exchange method shares: the quota, the shared parameters, the wrapper
object around its items, and Stack Exchange's error objects (no_method for any other
path)."""

from functools import wraps
from typing import NamedTuple

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.gzip import gzip_page

from seapi.params import BadParameter, Params
from seapi.quota import quota_take


class Listing(NamedTuple):
    """A page of items; `backoff`, the seconds a client should wait before it calls the
    method again (Stack Exchange's field), when the next call would be refused."""

    items: list
    has_more: bool
    backoff: int | None = None


class Total(int):
    """How many items a method has in all, for filter=total, instead of a page of them."""


class Throttled(Exception):
    """The visitor has used up the minute's searches (the day's quota is the wrapper's)."""


def error(error_id, name, message, *, status):
    return JsonResponse(
        {"error_id": error_id, "error_name": name, "error_message": message}, status=status
    )


def throttled(message):
    # Stack Exchange's own status is 400; 429 says the same to HTTP clients and proxies,
    # and Stack Exchange's clients read the error object either way.
    return error(502, "throttle_violation", message, status=429)


def method(view):
    """A read method: counts the request against the quota, reads the shared parameters,
    and turns what `view` returns, `(items, has_more)`, into the wrapper object (or a
    `Total`, for filter=total, into Stack Exchange's total object)."""

    @csrf_exempt  # nothing changes: every method is a read, and no cookie is read either
    @gzip_page
    @wraps(view)
    def answer(request, **kwargs):
        if request.method not in {"GET", "HEAD"}:
            response = error(
                404, "no_method", _("This API has read methods only, asked with GET."), status=405
            )
            response["Allow"] = "GET, HEAD"
            return response
        quota = quota_take(request)
        if quota.exhausted:
            return throttled(
                _("Too many requests from this address: the quota of %(quota)s a day is used up.")
                % {"quota": quota.maximum}
            )
        try:
            params = Params(request.GET)
            result = view(request, params, **kwargs)
        except BadParameter as problem:
            return error(400, "bad_parameter", str(problem), status=400)
        except Throttled as problem:
            return throttled(str(problem))
        if isinstance(result, Total):
            return JsonResponse({"total": result})
        listing = Listing(*result)
        if params.total_only:  # sites and info, whole; similar, as far as its page reads
            return JsonResponse({"total": len(listing.items)})
        wrapper = {
            "items": listing.items,
            "has_more": listing.has_more,
            "quota_max": quota.maximum,
            "quota_remaining": quota.remaining,
            "page": params.page,
            "pagesize": params.pagesize,
        }
        if listing.backoff:
            wrapper["backoff"] = listing.backoff
        return JsonResponse(wrapper)

    return answer


@csrf_exempt
@gzip_page
def no_method(request, path=""):
    return error(404, "no_method", _("No method found with this name."), status=404)
