from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from questions import selectors
from questions.caching import LISTS, cached_for_anonymous, thread_scope
from questions.models import Tag
from questions.view_counts import thread_viewed, unflushed_views

QUESTION_TAB_LABELS = {
    "active": _("Active"),
    "newest": _("Newest"),
    "votes": _("Votes"),
    "unanswered": _("Unanswered"),
    "featured": _("Featured"),
}
ANSWER_TAB_LABELS = {
    "score": _("Highest score"),
    "newest": _("Newest"),
    "oldest": _("Oldest"),
}
TAG_SORT_LABELS = {
    "popular": _("Popular"),
    "name": _("Name"),
    "newest": _("New"),
}
TAGS_PER_PAGE = 36
# The home page's filter for a member's watched tags: ?filter=watched.
WATCHED = "watched"


def _choice(value, choices, default):
    return value if value in choices else default


def _page_size(request):
    try:
        size = int(request.GET.get("pagesize", ""))
    except ValueError:
        return settings.FORUM_DEFAULT_PAGE_SIZE
    return size if size in settings.FORUM_PAGE_SIZES else settings.FORUM_DEFAULT_PAGE_SIZE


def _permanent_redirect_keeping_query(request, url):
    query = request.GET.urlencode()
    return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)


def _render_question_list(request, *, tag=None):
    """The home page and a tag's page: one list, with the same tabs and pagination.

    Unknown tabs and page sizes fall back to the defaults; a page past the end shows the last.
    A member's list marks their watched and ignored tags, and the home page can show only
    the questions in their watched tags (`filter=watched`); a visitor's ignores `filter`.
    """
    tab = _choice(request.GET.get("tab"), selectors.QUESTION_TABS, selectors.DEFAULT_QUESTION_TAB)
    page_size = _page_size(request)
    viewer_tags = selectors.viewer_tags(request.user)
    watched_only = viewer_tags is not None and tag is None and request.GET.get("filter") == WATCHED
    page_obj = selectors.question_page(
        tab=tab,
        tag=tag,
        number=request.GET.get("page"),
        page_size=page_size,
        viewer_tags=viewer_tags,
        watched_only=watched_only,
    )
    return render(
        request,
        "questions/question_list.html",
        {
            "tag": tag,
            "tab": tab,
            "tabs": QUESTION_TAB_LABELS.items(),
            "page_obj": page_obj,
            "page_size": page_size,
            "page_sizes": settings.FORUM_PAGE_SIZES,
            "viewer_tags": viewer_tags,
            "watched_only": watched_only,
        },
    )


def _lists(**kwargs):
    return LISTS


@cached_for_anonymous(_lists)
def question_list(request):
    return _render_question_list(request)


@cached_for_anonymous(_lists)
def tagged_questions(request, tag):
    return _render_question_list(request, tag=get_object_or_404(Tag, name=tag))


@cached_for_anonymous(lambda pk, slug=None: thread_scope(pk))
def _thread_page(request, pk, slug=None):
    question = selectors.question_for_thread(pk=pk, viewer=request.user)
    if slug != (question.slug or "-"):
        return _permanent_redirect_keeping_query(request, question.get_absolute_url())
    # The count as it stands: the views still in the cache, and this one, which
    # question_detail counts once the page is made (the first visitor reads "1 time").
    question.view_count += unflushed_views(question_id=pk) + 1
    return render_thread(request, question)


def question_detail(request, pk, slug=None):
    response = _thread_page(request, pk=pk, slug=slug)
    # Counted outside the page cache: a cached page is a view too.
    if response.status_code == 200:
        thread_viewed(question_id=pk)
    return response


def render_thread(request, question, *, answer_form=None, answer_preview=None, status=200):
    """The thread page; the answer view renders it again with a form that has errors, or
    with the preview of the answer as typed."""
    tab = _choice(request.GET.get("answertab"), selectors.ANSWER_TABS, selectors.DEFAULT_ANSWER_TAB)
    answers = selectors.thread_answers(question=question, tab=tab, viewer=request.user)
    return render(
        request,
        "questions/question_detail.html",
        {
            "question": question,
            "answers": answers,
            "answer_tab": tab,
            "answer_tabs": ANSWER_TAB_LABELS.items(),
            "answer_form": answer_form,
            "answer_preview": answer_preview,
            "related_questions": selectors.related_questions(question=question),
        },
        status=status,
    )


def question_permalink(request, pk):
    return redirect(selectors.question_for_permalink(pk=pk, viewer=request.user), permanent=True)


def answer_permalink(request, pk):
    answer = selectors.answer_for_permalink(pk=pk, viewer=request.user)
    return redirect(answer.get_absolute_url(), permanent=True)


@cached_for_anonymous(_lists)
def tag_list(request):
    """All tags in the chosen order, or those whose names contain the filter's text.

    An unknown order falls back to the default; a page past the end shows the last.
    """
    sort = _choice(request.GET.get("sort"), selectors.TAG_SORTS, selectors.DEFAULT_TAG_SORT)
    name_filter = request.GET.get("filter", "").strip()[: Tag._meta.get_field("name").max_length]
    tags = selectors.tags_for_page(sort=sort, name_filter=name_filter)
    page_obj = Paginator(tags, TAGS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "questions/tag_list.html",
        {
            "page_obj": page_obj,
            "sort": sort,
            "sorts": TAG_SORT_LABELS.items(),
            "name_filter": name_filter,
        },
    )
