"""The search page and its help page."""

from django.conf import settings
from django.shortcuts import render

from core import throttling
from questions import search as search_module

RATE_WINDOW_SECONDS = 60


def _over_rate_limit(request):
    """Counts the visitor's search and says whether it is one too many for this minute."""
    if request.user.is_authenticated:
        visitor = f"user:{request.user.pk}"
    else:
        visitor = f"address:{throttling.client_address(request)}"
    return (
        throttling.count("search", visitor, window=RATE_WINDOW_SECONDS)
        > settings.FORUM_SEARCH_RATE_PER_MINUTE
    )


def search(request):
    terms = search_module.parse_query(
        request.GET.get("q", ""), max_length=settings.FORUM_SEARCH_MAX_QUERY_LENGTH
    )
    context = {"terms": terms, "query": terms.query}
    if terms.is_empty:
        return render(request, "questions/search.html", context)
    if _over_rate_limit(request):
        return render(
            request,
            "questions/search.html",
            {**context, "rate_limited": True, "rate_limit": settings.FORUM_SEARCH_RATE_PER_MINUTE},
            status=429,
        )
    results = search_module.search(
        terms, viewer=request.user, sort=request.GET.get("tab"), page_number=request.GET.get("page")
    )
    return render(request, "questions/search.html", {**context, "results": results})


def search_help(request):
    return render(
        request,
        "questions/search_help.html",
        {"max_length": settings.FORUM_SEARCH_MAX_QUERY_LENGTH},
    )
