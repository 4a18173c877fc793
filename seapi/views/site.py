"""The methods about the site itself: sites (which clients ask first) and info."""

from datetime import timedelta

from django.core.cache import cache
from django.db.models import Count, Q, Sum
from django.utils import timezone

from accounts.models import User
from questions.models import ListTotal, Vote
from questions.selectors import list_totals_counted
from seapi import selectors, shapes
from seapi.views.method import method

INFO_CACHE_SECONDS = 300
API_REVISION = "2.3"


@method
def sites(request, params):
    return [shapes.site()], False


def _info_counted():
    totals = dict(ListTotal.objects.values_list("name", "count"))
    if len(totals) < len(ListTotal.Name):
        totals = list_totals_counted()
    questions = selectors.questions()
    day_ago = timezone.now() - timedelta(days=1)
    users = User.objects.aggregate(
        total=Count("pk"),
        new=Count("pk", filter=Q(date_joined__gte=day_ago)),
        badges=Sum("badges_gold") + Sum("badges_silver") + Sum("badges_bronze"),
    )
    answers = selectors.listed_answers().aggregate(
        total=Count("pk"), recent=Count("pk", filter=Q(created_at__gte=day_ago))
    )
    return {
        "total_questions": totals[ListTotal.Name.LISTED],
        "total_unanswered": totals[ListTotal.Name.UNANSWERED],
        "total_accepted": selectors.with_accepted_answer(questions).count(),
        "total_answers": answers["total"],
        "total_comments": selectors.comments().count(),
        "total_votes": Vote.objects.count(),
        "total_badges": users["badges"] or 0,
        "total_users": users["total"],
        "new_active_users": users["new"],
        "questions_per_minute": round(
            questions.filter(created_at__gte=day_ago).count() / (24 * 60), 2
        ),
        "answers_per_minute": round(answers["recent"] / (24 * 60), 2),
        "badges_per_minute": 0,
        "api_revision": API_REVISION,
    }


@method
def info(request, params):
    # Counting the whole site is slow on a large one; Stack Exchange's figures lag too.
    figures = cache.get_or_set("seapi:info", _info_counted, INFO_CACHE_SECONDS)
    return [{**figures, "site": shapes.site()}], False
