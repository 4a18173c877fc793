"""The forms of the thread page: `{% answer_form question as form %}` and
`{% comment_form post as form %}` give a new form, or the one the user left (with its
errors, or with text kept over a log-in)."""

from django import template

from questions.forms import (
    AnswerForm,
    CommentForm,
    answer_form_key,
    comment_form_key,
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
def comment_form(context, post):
    request = context["request"]
    return form_restore(
        request,
        key=comment_form_key(post),
        form_class=CommentForm,
        user=request.user,
        auto_id=f"id_comment_{post.pk}_%s",
    )


@register.simple_tag(takes_context=True)
def hidden_comment_count(context, post, comments):
    """How many of the post's last comments wait behind "Show N more": none once the
    reader asked for all of this post's comments."""
    if context["request"].GET.get("showcomments") == str(post.pk):
        return 0
    return max(0, len(comments) - COMMENTS_SHOWN)


@register.simple_tag(takes_context=True)
def posted_submission(context):
    """The token of the form just posted, once, so that the browser forgets its draft."""
    return posted_submission_pop(context["request"])
