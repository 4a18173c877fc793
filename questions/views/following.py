"""What a member follows and keeps: their watched and ignored tags (the settings page and
the buttons on a tag's page) and the questions they save. Each form works without
JavaScript: it posts and comes back with the outcome as a message."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import require
from questions import bookmarks, selectors
from questions.forms import TagPreferencesForm
from questions.models import Question, Tag, TagPreference
from questions.permissions import following_denial
from questions.tag_preferences import tag_preferences_save, tag_watch_set

TAG_KINDS = {"watched": TagPreference.Kind.WATCHED, "ignored": TagPreference.Kind.IGNORED, "": None}


@login_required
def tag_preferences(request):
    require(following_denial(request.user))
    form = TagPreferencesForm(
        request.POST or None,
        initial=TagPreferencesForm.initial_for(
            user=request.user, names=selectors.tag_preference_names(request.user)
        ),
    )
    if form.is_valid():
        changed = tag_preferences_save(
            user=request.user,
            watched=form.cleaned_data["watched"],
            ignored=form.cleaned_data["ignored"],
            hide_ignored=form.hide_ignored,
        )
        if changed:
            messages.success(request, _("Your watched and ignored tags have been saved."))
        else:
            messages.info(request, _("Your tags were not changed."))
        return redirect("questions:tag_preferences")
    return render(request, "questions/tag_preferences.html", {"form": form})


def _tag_message(tag, kind):
    if kind == TagPreference.Kind.WATCHED:
        return _("You watch [%(tag)s]: its questions stand out in the lists.") % {"tag": tag}
    if kind == TagPreference.Kind.IGNORED:
        return _("You ignore [%(tag)s]: its questions are faded or hidden in the lists.") % {
            "tag": tag
        }
    return _("You no longer watch or ignore [%(tag)s].") % {"tag": tag}


@require_POST
def tag_preference_set(request, tag):
    """The Watch and Ignore buttons of a tag's page."""
    tag = get_object_or_404(Tag, name=tag)
    if not request.user.is_authenticated:
        return redirect_to_login(tag.get_absolute_url())
    require(following_denial(request.user))
    kind = request.POST.get("kind")
    if kind not in TAG_KINDS:
        messages.error(request, _("A tag is watched, ignored or neither."))
        return redirect(tag)
    tag_watch_set(user=request.user, tag=tag, kind=TAG_KINDS[kind])
    messages.success(request, _tag_message(tag.name, TAG_KINDS[kind]))
    return redirect(tag)


@require_POST
def bookmark(request, pk):
    """The Save button of a question: `saved` is 1 to save it, 0 to take it off."""
    question = get_object_or_404(
        Question.objects.seen_by(request.user).only("id", "post_type", "slug"), pk=pk
    )
    back_to = f"{question.get_absolute_url()}#question"
    if not request.user.is_authenticated:
        return redirect_to_login(back_to)
    require(following_denial(request.user))
    saved = request.POST.get("saved")
    if saved not in ("0", "1"):
        messages.error(request, _("A question is saved or not."))
        return redirect(back_to)
    bookmarks.bookmark_set(user=request.user, question=question, saved=saved == "1")
    if saved == "1":
        messages.success(request, _("Saved: you find the question under Saved on your profile."))
    else:
        messages.success(request, _("The question is no longer among your saved questions."))
    return redirect(back_to)
