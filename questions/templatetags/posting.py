"""The forms of the thread page: `{% answer_form question as form %}` and
`{% comment_form post as form %}` give a new form, or the one the user left (with its
errors, or with text kept over a log-in); `{% comment_edit_form comment as form %}` the
form that changes a comment; `{% folded_comments post comments as folded %}` which
comments wait behind "Show N more"."""

from django import template

from core.stamping import STAND_IN, SUBMISSION_STAND_IN
from questions.forms import (
    AnswerForm,
    CommentEditForm,
    CommentForm,
    answer_form_key,
    comment_form_key,
    form_kept,
    form_restore,
    posted_submission_pop,
)

register = template.Library()

# A post shows this many comments, and a link to the rest.
COMMENTS_SHOWN = 5


@register.simple_tag(takes_context=True)
def answer_form(context, question):
    if context.get("answer_form") is not None:
        return context["answer_form"]
    request = context["request"]
    return form_restore(
        request, key=answer_form_key(question), form_class=AnswerForm, user=request.user
    )


@register.simple_tag(takes_context=True)
def comment_form(context, post, pk=None):
    """The comment box of `post`, as the member left it or new; its fields' ids are made
    with `pk` (by default the post's: the thread gives the stand-in id of `{% stamp %}`,
    and the stand-in submission token goes with it)."""
    request = context["request"]
    pk = post.pk if pk is None else pk
    form = form_restore(
        request,
        key=comment_form_key(post),
        form_class=CommentForm,
        user=request.user,
        auto_id=f"id_comment_{pk}_%s",
    )
    if pk == STAND_IN:
        # A new box (a kept one is rendered in full): each copy gets a token of its own.
        form.initial["submission_token"] = SUBMISSION_STAND_IN
    return form


@register.simple_tag(takes_context=True)
def comment_form_kept(context, post):
    """Whether the session keeps text for `post`'s comment box (it comes back filled)."""
    return form_kept(context["request"], key=comment_form_key(post))


@register.simple_tag
def comment_edit_form(comment):
    """The form that changes `comment`, filled with its text: its author's, for a few minutes."""
    return CommentEditForm(
        initial={"body": comment.body_markdown}, auto_id=f"id_comment_edit_{comment.pk}_%s"
    )


@register.simple_tag(takes_context=True)
def folded_comments(context, post, comments):
    """The ids of the post's comments that wait behind "Show N more", which keep their
    places in time: all but the COMMENTS_SHOWN best-voted ones (the earlier of equals, so
    the first ones while nobody votes), as on Stack Exchange, and the deleted ones a
    moderator sees. None of them once the reader asked for all of this post's comments."""
    if context["request"].GET.get("showcomments") == str(post.pk):
        return set()
    live = [comment for comment in comments if not comment.deleted_at]
    best = sorted(live, key=lambda comment: (-comment.score, comment.created_at, comment.pk))
    shown = {comment.pk for comment in best[:COMMENTS_SHOWN]}
    return {comment.pk for comment in comments if comment.pk not in shown}


@register.simple_tag(takes_context=True)
def posted_submission(context):
    """The token of the form just posted, once, so that the browser forgets its draft."""
    return posted_submission_pop(context["request"])
