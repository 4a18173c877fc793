"""Finding questions: similar titles while asking, tag descriptions and their info pages,
and what search engines read (robots.txt)."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.permissions import require
from questions import selectors, services
from questions.forms import TITLE_LENGTH, TagDescriptionForm
from questions.models import Tag
from questions.permissions import tag_edit_denial

SIMILAR_SHOWN = 5

# Pages that are private, or forms, or results that change with every query: nothing
# for a search engine to keep. The search address is written out, so that robots.txt
# keeps it out of the index however search is wired.
ROBOTS_DISALLOWED = ("admin:index", "accounts:login", "accounts:signup", "questions:ask")
SEARCH_PATH = "/search/"


@require_GET
def similar_questions(request):
    """Questions whose titles resemble `title`, for the ask page while a title is typed."""
    title = request.GET.get("title", "")[: TITLE_LENGTH[1]]
    questions = selectors.similar_questions(title=title, limit=SIMILAR_SHOWN)
    return JsonResponse(
        [
            {
                "title": question.title,
                "url": question.get_absolute_url(),
                "answers": question.answer_count,
                "accepted": question.accepted_answer_id is not None,
            }
            for question in questions
        ],
        safe=False,
    )


def tag_edit(request, tag):
    tag = get_object_or_404(Tag, name=tag)
    if not request.user.is_authenticated:
        return redirect_to_login(request.path)
    require(tag_edit_denial(request.user, tag))

    data = request.POST if request.method == "POST" else None
    form = TagDescriptionForm(data, initial={"description": tag.excerpt, "wiki": tag.wiki_markdown})
    if form.is_valid():
        if services.tag_describe(
            tag=tag,
            description=form.cleaned_data["description"],
            wiki=form.cleaned_data["wiki"],
            summary=form.cleaned_data["summary"],
            editor=request.user,
        ):
            messages.success(request, _("The description of the tag has been saved."))
        else:
            messages.info(request, _("The description was not changed."))
        return redirect(tag)
    return render(request, "questions/tag_edit.html", {"tag": tag, "form": form})


@require_GET
def tag_info(request, tag):
    """A tag's info page: its description, its wiki and their revisions."""
    tag = get_object_or_404(Tag, name=tag)
    return render(
        request,
        "questions/tag_info.html",
        {"tag": tag, "revisions": selectors.tag_history(tag=tag)},
    )


@require_GET
def robots_txt(request):
    disallowed = [reverse(name) for name in ROBOTS_DISALLOWED] + [SEARCH_PATH]
    lines = [
        "User-agent: *",
        *(f"Disallow: {path}" for path in disallowed),
        "Allow: /",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
