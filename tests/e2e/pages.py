"""The site's pages as the axe test scans them (tests/e2e/test_accessibility.py), by URL
name and role, and the named URL patterns it does not scan, each with its reason.
tests/test_page_coverage.py holds every named URL pattern of the project to one of the two
lists: a new page joins PAGES (with what it needs in the axe test's _site), or EXCLUDED says
why it is not a page a browser is shown."""

from collections.abc import Callable
from dataclasses import dataclass, field

ROLES = ("anonymous", "newcomer", "member", "moderator", "manager")


@dataclass(frozen=True)
class Page:
    """`role` views the page `name` reversed with `kwargs(site)`, plus `query`. `full`: the
    page is scanned at the whole matrix (both languages, widths and themes); the others at a
    reduced one (see the axe test). `status`: the answer expected, for the error pages.
    `ready`: what the page shows once its script has built it, which the scan waits for."""

    role: str
    name: str
    kwargs: Callable = field(default=lambda site: {})
    query: str = ""
    full: bool = False
    status: int = 200
    ready: str = ""


def _pk(attribute):
    return lambda site: {"pk": getattr(site, attribute).pk}


def _profile(attribute):
    return lambda site: {"pk": getattr(site, attribute).pk, "slug": getattr(site, attribute).slug}


def _object(attribute):
    """The moderators' panel names its objects by object_id."""
    return lambda site: {"object_id": getattr(site, attribute).pk}


def _tag(site):
    return {"tag": "lojban"}


def _question(site):
    return {"pk": site.question.pk, "slug": site.question.slug}


def _imported(site):
    return {"pk": site.imported.pk, "slug": site.imported.slug}


# The pages of the first scans, at the full matrix: the thread and the lists everyone sees
# most, and each role's own view of the thread.
CORE = [
    Page("anonymous", "questions:list", full=True),
    Page("anonymous", "questions:list", query="?tab=unanswered", full=True),
    Page("anonymous", "questions:detail", _question, full=True),
    Page("anonymous", "questions:detail", _imported, full=True),
    Page("anonymous", "questions:tagged", _tag, full=True),
    Page("anonymous", "questions:tags", full=True),
    Page("anonymous", "accounts:users", full=True),
    Page("anonymous", "questions:profile", _profile("member"), full=True),
    Page("anonymous", "questions:user_answers", _profile("member"), full=True),
    Page("anonymous", "questions:user_tags", _profile("member"), full=True),
    Page("anonymous", "questions:search", query="?q=lojban", full=True),
    Page("anonymous", "questions:search_help", full=True),
    Page("anonymous", "badges:list", full=True),
    Page("anonymous", "accounts:privileges", full=True),
    Page("anonymous", "accounts:login", full=True),
    Page("anonymous", "accounts:signup", full=True),
    Page("member", "questions:detail", _question, full=True),
    Page("member", "questions:ask", full=True),
    Page("member", "questions:edit", _pk("answer"), full=True),
    Page("member", "questions:revisions", _pk("answer"), full=True),
    Page("member", "moderation:post_flag", _pk("question"), full=True),
    Page("member", "notifications:inbox", full=True),
    Page("member", "notifications:settings", full=True),
    Page("member", "questions:profile", _profile("member"), full=True),
    Page("member", "questions:reputation", _profile("member"), full=True),
    Page("member", "questions:user_votes", _profile("member"), full=True),
    Page("member", "moderation:user_flags", _profile("member"), full=True),
    Page("member", "accounts:profile_edit", full=True),
    Page("member", "reviews:index", full=True),
    Page("member", "reviews:queue", lambda site: {"queue": "first-questions"}, full=True),
    Page("moderator", "questions:detail", _question, full=True),
    Page("moderator", "moderation_admin:index", full=True),
    Page("moderator", "moderation_admin:questions_post_changelist", full=True),
    Page("moderator", "moderation_admin:moderation_flag_changelist", full=True),
    Page("moderator", "moderation_admin:moderation_moderatoraction_changelist", full=True),
    Page("moderator", "moderation_admin:moderation_suspension_changelist", full=True),
    Page("manager", "questions:detail", _question, full=True),
    Page("manager", "moderation_admin:moderation_escalation_changelist", full=True),
    Page("manager", "admin:index", full=True),
    Page("manager", "admin:accounts_user_changelist", full=True),
]

# Every other page, in the role that sees it (or sees it differently).
MORE = [
    # Visitors: the rest of the public pages, the account pages reached from emails, and
    # the error pages.
    Page("anonymous", "questions:tag_info", _tag),
    Page("anonymous", "questions:tag_top_users", _tag),
    Page("anonymous", "questions:revisions", _pk("question")),
    Page("anonymous", "questions:user_questions", _profile("asker")),
    Page("anonymous", "badges:detail", lambda site: {"pk": site.badge.pk, "slug": site.badge.slug}),
    Page("anonymous", "badges:user", _profile("member")),
    Page("anonymous", "questions:detail", _profile("bountied")),
    Page("anonymous", "bounties:question", _pk("bountied")),
    Page("anonymous", "questions:detail", _profile("closed")),
    Page("anonymous", "bounties:member", _profile("member")),
    Page("anonymous", "privacy:policy"),
    # Swagger UI builds the operations from the schema after the page has loaded.
    Page("anonymous", "api:docs", ready=".opblock-summary-method"),
    Page("anonymous", "accounts:password_reset"),
    Page("anonymous", "accounts:password_reset_done"),
    Page(
        "anonymous",
        "accounts:password_reset_confirm",
        lambda site: {"uidb64": site.reset_uid, "token": site.reset_token},
    ),
    Page("anonymous", "accounts:password_reset_complete"),
    Page("anonymous", "accounts:signup_finish", lambda site: {"token": site.signup_token}),
    Page("anonymous", "accounts:verify_email", lambda site: {"token": site.verify_token}),
    # An emailed link that is forged or expired.
    Page("anonymous", "accounts:verify_email", lambda site: {"token": "forged"}, status=400),
    Page("anonymous", "notifications:unsubscribe", lambda site: {"token": site.unsubscribe}),
    Page("anonymous", "notifications:unsubscribe", lambda site: {"token": "forged"}, status=400),
    Page("anonymous", "moderation_admin:login"),
    # The 404 page: a question that does not exist.
    Page("anonymous", "questions:detail_noslug", lambda site: {"pk": 999_999_999}, status=404),
    # A newcomer: below the privileges, with a deleted answer they may appeal.
    Page("newcomer", "questions:detail", _question),
    Page("newcomer", "reviews:suggest", _pk("question")),
    Page("newcomer", "moderation:appeal", _pk("deleted")),
    # Members: their own pages and the forms behind a thread's buttons.
    Page("member", "questions:detail", _imported),
    Page("member", "questions:comment_edit", _pk("comment")),
    Page("member", "moderation:comment_flag", _pk("asker_comment")),
    Page("member", "moderation:close", _pk("question")),
    Page("member", "moderation:reopen", _pk("closed")),
    Page("member", "bounties:start", _pk("old_question")),
    Page("member", "questions:tag_edit", _tag),
    Page("member", "questions:tag_preferences"),
    Page("member", "questions:saved", _profile("member")),
    Page("member", "notifications:achievements"),
    Page("member", "moderation:messages"),
    Page("member", "reviews:history"),
    Page("member", "reviews:queue", lambda site: {"queue": "suggested-edits"}),
    Page("member", "reviews:task", _pk("task")),
    Page("member", "reviews:task_edit", _pk("task")),
    Page("member", "reviews:task", _pk("suggestion_task")),
    Page("member", "reviews:task_edit", _pk("suggestion_task")),
    Page("member", "reviews:suggestion", _pk("suggestion")),
    Page("member", "privacy:settings"),
    Page("member", "api:tokens"),
    Page("member", "accounts:password_change"),
    Page("member", "accounts:password_change_done"),
    # The 403 page: a member at the community managers' webhooks.
    Page("member", "webhooks:list", status=403),
    # Moderators: the panel's other pages, and the site's pages only they reach.
    Page("moderator", "privacy:erase"),
    Page("moderator", "moderation_admin:app_list", lambda site: {"app_label": "moderation"}),
    Page("moderator", "moderation_admin:password_change"),
    Page("moderator", "moderation_admin:password_change_done"),
    Page("moderator", "moderation_admin:questions_post_change", _object("flagged")),
    Page("moderator", "moderation_admin:questions_post_history", _object("flagged")),
    Page("moderator", "moderation_admin:moderation_flag_change", _object("flag")),
    Page("moderator", "moderation_admin:moderation_flag_history", _object("flag")),
    Page("moderator", "moderation_admin:moderation_suspension_add"),
    Page("moderator", "moderation_admin:moderation_suspension_change", _object("suspension")),
    Page("moderator", "moderation_admin:moderation_suspension_history", _object("suspension")),
    Page("moderator", "moderation_admin:moderation_moderatormessage_changelist"),
    Page("moderator", "moderation_admin:moderation_moderatormessage_add"),
    Page("moderator", "moderation_admin:moderation_moderatormessage_change", _object("message")),
    Page("moderator", "moderation_admin:moderation_moderatormessage_history", _object("message")),
    Page("moderator", "moderation_admin:moderation_closevote_changelist"),
    Page("moderator", "moderation_admin:moderation_closevote_change", _object("close_vote")),
    Page("moderator", "moderation_admin:moderation_closevote_history", _object("close_vote")),
    Page("moderator", "moderation_admin:moderation_moderatoraction_change", _object("action")),
    Page("moderator", "moderation_admin:moderation_moderatoraction_history", _object("action")),
    Page("moderator", "moderation_admin:reviews_reviewtask_changelist"),
    Page("moderator", "moderation_admin:reviews_reviewban_changelist"),
    Page("moderator", "moderation_admin:reviews_reviewban_add"),
    Page("moderator", "moderation_admin:reviews_reviewban_change", _object("review_ban")),
    Page("moderator", "moderation_admin:reviews_reviewban_history", _object("review_ban")),
    Page("moderator", "moderation_admin:spam_destroy", lambda site: {"user_id": site.spammer.pk}),
    Page("moderator", "moderation_admin:spam_destruction_changelist"),
    Page("moderator", "moderation_admin:spam_destruction_change", _object("destruction")),
    Page("moderator", "moderation_admin:spam_destruction_history", _object("destruction")),
    Page("moderator", "moderation_admin:spam_spambatch_changelist"),
    Page("moderator", "moderation_admin:spam_spambatch_add", query="?email_domain=spam.example"),
    Page("moderator", "moderation_admin:spam_spambatch_change", _object("batch")),
    Page("moderator", "moderation_admin:spam_spambatch_history", _object("batch")),
    # Community managers: escalations and webhooks.
    Page("manager", "moderation_admin:moderation_escalation_change", _object("escalation")),
    Page("manager", "moderation_admin:moderation_escalation_history", _object("escalation")),
    Page("manager", "webhooks:list"),
    Page("manager", "webhooks:new"),
    Page("manager", "webhooks:detail", _pk("webhook")),
    Page("manager", "webhooks:delete", _pk("webhook")),
]

PAGES = CORE + MORE

# Why a named URL pattern is not on the list: it serves no page to a browser's GET.
POST_ONLY = "POST only: a form's or a button's target; a GET is answered 405"
REFUSED = "refused (403) in every role: the panel adds or deletes none of these by hand"
JSON = "JSON for the pages' scripts or for API clients"
MACHINE = "for machines: a feed, sitemap, robots.txt, schema, script catalogue or probe"
DOWNLOAD = "a file download"
REDIRECT = "a redirect to a page on the list (a short link, a stale or missing slug)"

_PANEL_MODELS = (
    "questions_post",
    "moderation_flag",
    "moderation_suspension",
    "moderation_moderatormessage",
    "moderation_escalation",
    "moderation_closevote",
    "moderation_moderatoraction",
    "reviews_reviewtask",
    "reviews_reviewban",
    "spam_destruction",
    "spam_spambatch",
)
_API_JSON = (
    "questions",
    "question",
    "answers",
    "bookmark",
    "answer",
    "accept",
    "post",
    "comments",
    "revisions",
    "vote",
    "post_flag",
    "follow",
    "comment",
    "comment_flag",
    "users",
    "user",
    "user_posts",
    "user_badges",
    "badges",
    "badge",
    "tags",
    "search",
    "inbox",
    "not_found",
)

EXCLUDED = {
    # The moderators' panel (Django's admin machinery under /moderation/).
    **{f"moderation_admin:{model}_delete": REFUSED for model in _PANEL_MODELS},
    **{
        f"moderation_admin:{model}_add": REFUSED
        for model in (
            "questions_post",
            "moderation_flag",
            "moderation_escalation",
            "moderation_closevote",
            "moderation_moderatoraction",
            "reviews_reviewtask",
            "spam_destruction",
        )
    },
    # The tasks are the reviewers' work, shown on the review pages: the panel shows only
    # the queues' statistics and refuses (403) a task's own page.
    "moderation_admin:reviews_reviewtask_change": REFUSED,
    "moderation_admin:reviews_reviewtask_history": REFUSED,
    "moderation_admin:logout": POST_ONLY,
    "moderation_admin:spam_destruction_undo": POST_ONLY,
    "moderation_admin:spam_batch_undo": POST_ONLY,
    "moderation_admin:spam_batch_resume": POST_ONLY,
    "moderation_admin:autocomplete": JSON,
    "moderation_admin:jsi18n": MACHINE,
    "moderation_admin:view_on_site": REDIRECT,
    # The REST API and its schema; the tokens' page and the documentation are pages.
    **{f"api:{name}": JSON for name in _API_JSON},
    "api:schema": MACHINE,
    "api:token_revoke": POST_ONLY,
    # Questions, answers, comments.
    "questions:preview": POST_ONLY,
    "questions:image_upload": POST_ONLY,
    "questions:answer": POST_ONLY,
    "questions:comment": POST_ONLY,
    "questions:comment_vote": POST_ONLY,
    "questions:rollback": POST_ONLY,
    "questions:vote": POST_ONLY,
    "questions:accept": POST_ONLY,
    "questions:bookmark": POST_ONLY,
    "questions:tag_preference_set": POST_ONLY,
    "questions:tag_autocomplete": JSON,
    "questions:similar": JSON,
    "questions:mention_suggestions": JSON,
    "questions:feed_questions": MACHINE,
    "questions:feed_thread": MACHINE,
    "questions:feed_tag": MACHINE,
    "questions:question_permalink": REDIRECT,
    "questions:answer_permalink": REDIRECT,
    "questions:profile_noslug": REDIRECT,
    # Accounts, moderation, notifications, reviews, badges, bounties, webhooks, privacy.
    "accounts:verification_resend": POST_ONLY,
    "accounts:logout": POST_ONLY,
    "accounts:avatar_edit": POST_ONLY,
    "moderation:comment_delete": POST_ONLY,
    "moderation:comment_undelete": POST_ONLY,
    "moderation:delete": POST_ONLY,
    "moderation:undelete": POST_ONLY,
    "moderation:moderate": POST_ONLY,
    "moderation:message_read": POST_ONLY,
    "notifications:entry_unread": POST_ONLY,
    "notifications:follow": POST_ONLY,
    "notifications:unread_count": JSON,
    "reviews:task_review": POST_ONLY,
    "badges:award": REDIRECT,
    "badges:share": REDIRECT,
    "bounties:award": POST_ONLY,
    "webhooks:secret": POST_ONLY,
    "privacy:deletion_request": POST_ONLY,
    "privacy:deletion_cancel": POST_ONLY,
    "privacy:export_request": POST_ONLY,
    "privacy:export_download": DOWNLOAD,
    # The project's own.
    "set_language": "Django's language switch, a form's target: a GET only redirects back",
    "theme_set": POST_ONLY,
    "healthz": MACHINE,
    "readyz": MACHINE,
    "metrics": MACHINE,
    "bench_ceiling": MACHINE,
    "robots_txt": MACHINE,
    "sitemap": MACHINE,
    "sitemap_section": MACHINE,
    "media": DOWNLOAD,
}

# Whole namespaces not scanned beyond the pages of theirs on the list.
EXCLUDED_NAMESPACES = {
    "admin": "Django's stock admin at /admin/, for staff only: its index and the members' "
    "list are scanned; its other pages are Django's own templates",
    "seapi": "Stack Exchange's API 2.3: JSON",
}
