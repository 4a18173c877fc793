"""Rows as Stack Exchange's API 2.3 writes them: its field names and types (dates in Unix
seconds, titles and names HTML-escaped, owners as shallow users). As Stack Exchange does,
a field without a value is left out rather than written as null."""

from django.conf import settings
from django.templatetags.static import static
from django.utils import translation
from django.utils.html import escape

from questions.models import Post


def absolute(path):
    """The address of the site's page at `path`."""
    return settings.FORUM_SITE_URL.rstrip("/") + path


def epoch(moment):
    return int(moment.timestamp()) if moment else None


def _present(fields):
    return {name: value for name, value in fields.items() if value is not None}


def _user_type(user):
    return "moderator" if user.is_moderator else "registered"


def shallow_user(user, name):
    """The owner of a post or comment; `name` is the one kept on the row for an author
    whose account is gone (or never existed here: imported posts)."""
    if user is None:
        return {"user_type": "does_not_exist", "display_name": escape(name)}
    return {
        "account_id": user.pk,
        "reputation": user.reputation,
        "user_id": user.pk,
        "user_type": _user_type(user),
        "display_name": escape(user.name),
        "link": absolute(user.get_absolute_url()),
    }


def _licence(post):
    return post.licence or None


def _closed_reason(question):
    if not question.closed_at:
        return None
    if question.close_reason not in Post.CloseReason.values:
        return question.close_reason or None
    with translation.override("en"):
        return str(Post.CloseReason(question.close_reason).label)


def question(row, *, with_body):
    fields = {
        "tags": [tag.name for tag in row.shown_tags],
        "owner": shallow_user(row.author, row.author_name),
        "is_answered": bool(row.accepted_shown or row.has_upvoted_answer),
        "view_count": row.view_count,
        "accepted_answer_id": row.accepted_answer_id if row.accepted_shown else None,
        "answer_count": row.answer_count,
        "score": row.score,
        "last_activity_date": epoch(row.last_activity_at),
        "creation_date": epoch(row.created_at),
        "last_edit_date": epoch(row.last_edited_at),
        "closed_date": epoch(row.closed_at),
        "closed_reason": _closed_reason(row),
        "question_id": row.pk,
        "content_license": _licence(row),
        "link": absolute(row.get_absolute_url()),
        "title": escape(row.title),
    }
    if with_body:
        fields["body"] = row.body_html
    return _present(fields)


def answer(row, *, with_body):
    fields = {
        "owner": shallow_user(row.author, row.author_name),
        "is_accepted": row.parent.accepted_answer_id == row.pk,
        "score": row.score,
        "last_activity_date": epoch(row.last_activity_at),
        "last_edit_date": epoch(row.last_edited_at),
        "creation_date": epoch(row.created_at),
        "answer_id": row.pk,
        "question_id": row.parent_id,
        "content_license": _licence(row),
        "link": absolute(row.get_absolute_url()),
    }
    if with_body:
        fields["body"] = row.body_html
    return _present(fields)


def post(row, *, with_body):
    """A question or an answer as the posts methods write it."""
    fields = {
        "owner": shallow_user(row.author, row.author_name),
        "score": row.score,
        "last_activity_date": epoch(row.last_activity_at),
        "last_edit_date": epoch(row.last_edited_at),
        "creation_date": epoch(row.created_at),
        "post_type": "question" if row.is_question else "answer",
        "post_id": row.pk,
        "content_license": _licence(row),
        "link": absolute(row.get_absolute_url()),
    }
    if with_body:
        fields["body"] = row.body_html
    return _present(fields)


def comment(row, *, with_body):
    fields = {
        "owner": shallow_user(row.author, row.author_name),
        "edited": row.edited_at is not None,
        "score": row.score,
        "creation_date": epoch(row.created_at),
        "post_id": row.post_id,
        "comment_id": row.pk,
        "content_license": row.licence or None,
    }
    if with_body:
        fields["body"] = row.body_html
    return _present(fields)


def user(row, *, with_body):
    fields = {
        "badge_counts": {
            "bronze": row.badges_bronze,
            "silver": row.badges_silver,
            "gold": row.badges_gold,
        },
        "account_id": row.pk,
        "is_employee": row.is_staff,
        "last_access_date": epoch(row.last_seen_at),
        "reputation": row.reputation,
        "creation_date": epoch(row.date_joined),
        "user_type": _user_type(row),
        "user_id": row.pk,
        "location": escape(row.location) if row.location else None,
        "website_url": row.website or None,
        "link": absolute(row.get_absolute_url()),
        "display_name": escape(row.name),
    }
    if with_body:
        fields["about_me"] = row.about_html
    return _present(fields)


def tag(row, *, with_body):
    return {
        "has_synonyms": False,
        "is_moderator_only": False,
        "is_required": False,
        "count": row.question_count,
        "name": row.name,
    }


def site(*, with_body=False):
    """This site as the sites method lists it: the one entry, which clients look for by its
    api_site_parameter before they ask anything else."""
    url = settings.FORUM_SITE_URL.rstrip("/")
    icon = absolute(static("favicon.svg"))
    return {
        "site_type": "main_site",
        "name": settings.SEAPI_SITE_NAME,
        "api_site_parameter": settings.SEAPI_SITE_PARAMETER,
        "site_url": url,
        "audience": settings.SEAPI_SITE_AUDIENCE,
        "site_state": "normal",
        "markdown_extensions": [],
        "icon_url": icon,
        "favicon_url": icon,
        "logo_url": icon,
        "high_resolution_icon_url": icon,
    }
