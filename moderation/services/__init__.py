"""Moderation verbs. Each is one transaction, writes its audit-log row, and returns
whether it changed anything (False: it was so already). Who may call them is asked of
moderation.permissions by the views.

The modules: audit (the audit log), posts (deletion, locks, protection, closing and the
close votes), comments (deletion and undeletion), flags, escalations (and appeals), people
(messages, suspensions, roles).
"""

from moderation.services.audit import audit
from moderation.services.comments import (
    comment_delete,
    comment_deleted_set,
    comment_deletion_moderated,
    comment_undelete,
)
from moderation.services.escalations import (
    appeal,
    escalate,
    escalation_assign,
    escalation_resolve,
)
from moderation.services.flags import flag_create, flags_decline, flags_mark_helpful
from moderation.services.people import (
    ROLES,
    message_read,
    message_send,
    role_set,
    suspension_lift,
    user_suspend,
)
from moderation.services.posts import (
    close_vote_cast,
    post_delete,
    post_deleted_set,
    post_lock,
    post_undelete,
    post_unlock,
    question_close,
    question_protect,
    question_reopen,
    question_unprotect,
)

__all__ = [
    "ROLES",
    "appeal",
    "audit",
    "close_vote_cast",
    "comment_delete",
    "comment_deleted_set",
    "comment_deletion_moderated",
    "comment_undelete",
    "escalate",
    "escalation_assign",
    "escalation_resolve",
    "flag_create",
    "flags_decline",
    "flags_mark_helpful",
    "message_read",
    "message_send",
    "post_delete",
    "post_deleted_set",
    "post_lock",
    "post_undelete",
    "post_unlock",
    "question_close",
    "question_protect",
    "question_reopen",
    "question_unprotect",
    "role_set",
    "suspension_lift",
    "user_suspend",
]
