"""What members and moderators do about posts and comments on the site itself: flag,
delete and undelete, close and reopen, moderate on the thread page, appeal, and read their
flags and moderator messages."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.permissions import require
from accounts.roles import is_moderator
from moderation import selectors, services
from moderation.forms import AppealForm, CloseForm, FlagForm, ModerationReasonForm, ReopenForm
from moderation.models import CloseVote
from moderation.permissions import (
    appeal_denial,
    close_vote_denial,
    flag_denial,
    flag_list_denial,
    moderate_denial,
)
from questions.permissions import (
    comment_delete_denial,
    comment_undelete_denial,
    delete_denial,
    undelete_denial,
)
from questions.selectors import comment_for_viewer, post_for_viewer
from questions.views.posting import comments_url

FLAGS_PER_PAGE = 30
MESSAGES_PER_PAGE = 20


def _question_for_viewer(pk, viewer):
    question = post_for_viewer(pk=pk, viewer=viewer)
    if not question.is_question:
        raise Http404
    return question


# Flags


def _flag(request, target, *, thread_url, post=None, comment=None):
    """The flag page of a post or a comment: the form, and filing the flag."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    require(flag_denial(request.user, target))

    form = FlagForm(request.POST or None, target=target)
    if request.method == "POST" and form.is_valid():
        flag = services.flag_create(
            reporter=request.user,
            reason=form.cleaned_data["reason"],
            text=form.cleaned_data["text"],
            post=post,
            comment=comment,
        )
        if flag.status == flag.Status.HELPFUL and comment is not None:
            messages.success(request, _("Thank you: the comment is removed."))
        elif flag.status == flag.Status.HELPFUL:
            messages.success(request, _("Your flag was binding: the post is deleted and locked."))
        else:
            messages.success(request, _("Thank you: a moderator will look at your flag."))
        return redirect(thread_url)
    return render(
        request,
        "moderation/flag.html",
        {
            "form": form,
            "target": target,
            "post": post,
            "comment": comment,
            "thread_url": thread_url,
        },
    )


def post_flag(request, pk):
    post = post_for_viewer(pk=pk, viewer=request.user)
    return _flag(request, post, thread_url=post.get_absolute_url(), post=post)


def comment_flag(request, pk):
    comment = selectors.comment_for_viewer(pk=pk, viewer=request.user)
    thread_url = f"{(comment.post.parent or comment.post).get_absolute_url()}#comment-{comment.pk}"
    return _flag(request, comment, thread_url=thread_url, comment=comment)


def user_flags(request, pk, slug):
    member = selectors.member(pk=pk)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    require(flag_list_denial(request.user, member))
    if slug != member.slug:
        return HttpResponsePermanentRedirect(
            reverse("moderation:user_flags", args=[member.pk, member.slug])
        )

    page_obj = Paginator(selectors.user_flags(user=member), FLAGS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "moderation/user_flags.html", {"member": member, "page_obj": page_obj})


# Deleting and undeleting


def _deletion(request, pk, *, denial, deleted, done):
    post = post_for_viewer(pk=pk, viewer=request.user)
    if not request.user.is_authenticated:
        return redirect_to_login(post.get_absolute_url())
    require(denial(request.user, post))

    services.post_deleted_set(post=post, user=request.user, deleted=deleted)
    messages.success(request, done)
    return redirect(post.get_absolute_url())


@require_POST
def post_delete(request, pk):
    """The Delete button of a post's menu; a moderator's own menu asks a reason for the
    audit log (post_moderate)."""
    return _deletion(
        request,
        pk,
        denial=delete_denial,
        deleted=True,
        done=_("The post was deleted. You can still undelete it."),
    )


@require_POST
def post_undelete(request, pk):
    return _deletion(
        request, pk, denial=undelete_denial, deleted=False, done=_("The post was undeleted.")
    )


# Deleting and undeleting comments


def _comment_deletion(request, pk, *, denial, deleted, done):
    """A comment's author deletes it; a moderator deletes anyone's, or undeletes, with a
    reason for the audit log. Back to the comment (all the post's comments shown, where a
    moderator sees the deleted one), or to the post's comments when it is gone."""
    comment = comment_for_viewer(pk=pk, viewer=request.user)
    post = comment.post
    if not request.user.is_authenticated:
        return redirect_to_login(comments_url(post, anchor=f"comment-{comment.pk}"))
    require(denial(request.user, comment))

    reason = ""
    moderating = services.comment_deletion_moderated(
        comment=comment, user=request.user, deleted=deleted
    )
    back = (
        comments_url(post, anchor=f"comment-{comment.pk}", all_shown=True)
        if moderating
        else comments_url(post, anchor=f"comments-{post.pk}")
    )
    if moderating:
        form = ModerationReasonForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give a reason: it goes into the audit log."))
            return redirect(back)
        reason = form.cleaned_data["reason"]
    if services.comment_deleted_set(
        comment=comment, user=request.user, deleted=deleted, reason=reason
    ):
        messages.success(request, done)
    else:
        messages.info(request, _("Nothing changed: the comment was so already."))
    return redirect(back)


@require_POST
def comment_delete(request, pk):
    return _comment_deletion(
        request,
        pk,
        denial=comment_delete_denial,
        deleted=True,
        done=_("The comment was deleted."),
    )


@require_POST
def comment_undelete(request, pk):
    return _comment_deletion(
        request,
        pk,
        denial=comment_undelete_denial,
        deleted=False,
        done=_("The comment was undeleted."),
    )


# Moderators on the thread page

# action: (service, its keyword for the post, whether answers have it too, what it did)
MODERATOR_ACTIONS = {
    "delete": (services.post_delete, "post", True, gettext_lazy("The post was deleted.")),
    "undelete": (services.post_undelete, "post", True, gettext_lazy("The post was undeleted.")),
    "lock": (services.post_lock, "post", True, gettext_lazy("The post was locked.")),
    "unlock": (services.post_unlock, "post", True, gettext_lazy("The post was unlocked.")),
    "protect": (
        services.question_protect,
        "question",
        False,
        gettext_lazy("The question was protected."),
    ),
    "unprotect": (
        services.question_unprotect,
        "question",
        False,
        gettext_lazy("The question is no longer protected."),
    ),
}


@require_POST
def post_moderate(request, pk, action):
    post = post_for_viewer(pk=pk, viewer=request.user)
    if action not in MODERATOR_ACTIONS or not (post.is_question or MODERATOR_ACTIONS[action][2]):
        raise Http404
    if not request.user.is_authenticated:
        return redirect_to_login(post.get_absolute_url())
    require(moderate_denial(request.user))

    form = ModerationReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason: it goes into the audit log."))
        return redirect(post.get_absolute_url())
    service, keyword, _for_answers, done = MODERATOR_ACTIONS[action]
    if service(**{keyword: post}, moderator=request.user, reason=form.cleaned_data["reason"]):
        messages.success(request, done)
    else:
        messages.info(request, _("Nothing changed: the post was so already."))
    return redirect(post.get_absolute_url())


# Closing and reopening


def question_close(request, pk):
    question = _question_for_viewer(pk, request.user)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    require(close_vote_denial(request.user, question, CloseVote.Kind.CLOSE))

    form = CloseForm(request.POST or None, question=question)
    if request.method == "POST" and form.is_valid():
        closed = services.close_vote_cast(
            question=question,
            user=request.user,
            kind=CloseVote.Kind.CLOSE,
            reason=form.cleaned_data["reason"],
            duplicate_of=form.cleaned_data["duplicate_of"],
        )
        if closed:
            messages.success(request, _("The question is closed."))
        else:
            messages.success(request, _("Your vote to close was counted."))
        return redirect(question.get_absolute_url())
    vote_count = selectors.live_vote_count(question=question, kind=CloseVote.Kind.CLOSE)
    return render(
        request,
        "moderation/close.html",
        {"question": question, "form": form, "vote_count": vote_count},
    )


def question_reopen(request, pk):
    question = _question_for_viewer(pk, request.user)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    require(close_vote_denial(request.user, question, CloseVote.Kind.REOPEN))

    form = ReopenForm(request.POST or None, reason_required=is_moderator(request.user))
    if request.method == "POST" and form.is_valid():
        reopened = services.close_vote_cast(
            question=question,
            user=request.user,
            kind=CloseVote.Kind.REOPEN,
            note=form.cleaned_data["reason"],
        )
        if reopened:
            messages.success(request, _("The question is open again."))
        else:
            messages.success(request, _("Your vote to reopen was counted."))
        return redirect(question.get_absolute_url())
    vote_count = selectors.live_vote_count(question=question, kind=CloseVote.Kind.REOPEN)
    return render(
        request,
        "moderation/reopen.html",
        {"question": question, "form": form, "vote_count": vote_count},
    )


# Appeals


def post_appeal(request, pk):
    post = post_for_viewer(pk=pk, viewer=request.user)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    require(appeal_denial(request.user, post))

    form = AppealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.appeal(user=request.user, post=post, note=form.cleaned_data["note"])
        messages.success(request, _("Your appeal was sent to the community managers."))
        return redirect(post.get_absolute_url())
    return render(
        request,
        "moderation/appeal.html",
        {"post": post, "form": form, "reason": selectors.removal_reason(post=post)},
    )


# Moderator messages


def message_list(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    page_obj = Paginator(selectors.user_messages(user=request.user), MESSAGES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "moderation/message_list.html", {"page_obj": page_obj})


@require_POST
def message_read(request, pk):
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("moderation:messages"))
    message = selectors.message_for_recipient(pk=pk, user=request.user)

    services.message_read(message=message)
    messages.success(request, _("The message is marked as read."))
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("moderation:messages")
    return redirect(next_url)
