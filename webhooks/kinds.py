"""The event kinds a webhook may subscribe to: their names in payloads and headers, their
labels on the pages, and the domain events they come from."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    QUESTION_ASKED = "question.asked", _("Question asked")
    ANSWER_POSTED = "answer.posted", _("Answer posted")
    ANSWER_ACCEPTED = "answer.accepted", _("Answer accepted")
    COMMENT_POSTED = "comment.posted", _("Comment posted")
    POST_EDITED = "post.edited", _("Post edited")
    FLAG_RAISED = "flag.raised", _("Flag raised")
    FLAG_SETTLED = "flag.settled", _("Flag settled")
    USER_SUSPENDED = "user.suspended", _("User suspended")
