"""The optional spam check, through a backend named by FORUM_SPAM_CHECK_BACKEND: a class
whose instances say whether they are `enabled` and answer `is_spam(text=, author=, kind=,
permalink=)` with True or False, or raise CheckFailed. The one here, the default, is an
Akismet-compatible HTTP API (FORUM_SPAM_CHECK_URL, its comment-check endpoint, with
FORUM_SPAM_CHECK_KEY): a POST of form fields about the content and its author, answered
"true" (spam) or "false". No URL set: not enabled, no check, the default."""

from urllib.parse import urlencode

import urllib3
from django.conf import settings
from django.utils.module_loading import import_string

TIMEOUT_SECONDS = 5


class CheckFailed(Exception):
    """The service gave no verdict (an error, or an answer that is neither)."""


def backend():
    """The configured spam check."""
    return import_string(settings.FORUM_SPAM_CHECK_BACKEND)()


class Akismet:
    """Akismet's comment-check API, or any service that speaks it."""

    def enabled(self):
        return bool(settings.FORUM_SPAM_CHECK_URL)

    def is_spam(self, *, text, author, kind, permalink=""):
        """Whether the service calls `text` by `author` spam; `kind` is "forum-post" or
        "reply". Raises CheckFailed when it says neither."""
        fields = {
            "api_key": settings.FORUM_SPAM_CHECK_KEY,
            "blog": settings.FORUM_SITE_URL,
            "user_ip": author.signup_address or "",
            "comment_type": kind,
            "comment_author": author.name,
            "comment_author_email": author.email,
            "comment_author_url": author.website,
            "comment_content": text,
            "permalink": permalink,
            "blog_lang": settings.LANGUAGE_CODE,
        }
        try:
            response = urllib3.request(
                "POST",
                settings.FORUM_SPAM_CHECK_URL,
                body=urlencode(fields),
                headers={"Content-Type": "application/x-www-form-urlencoded"},
                redirect=False,
                retries=False,
                timeout=urllib3.Timeout(connect=TIMEOUT_SECONDS, read=TIMEOUT_SECONDS),
            )
        except (urllib3.exceptions.HTTPError, OSError) as failure:
            raise CheckFailed(type(failure).__name__) from failure
        answer = response.data[:100].decode(errors="replace").strip()
        if response.status == 200 and answer in ("true", "false"):
            return answer == "true"
        raise CheckFailed(
            f"{response.status} {answer} {response.headers.get('X-akismet-debug-help', '')}"
        )
