"""Bounties: reputation a member offers on a question, paid to the answer it is awarded to.

The question's active bounty is also on the post (`Post.bounty_amount`, `bounty_ends_at`),
kept by the services in the same transaction as the bounty's row, so that the lists'
Featured tab and the thread read it without a join; this table holds the history."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# Stack Exchange's rules.
DURATION = timedelta(days=7)
# After the end, the offerer may still award the bounty for this long; then the periodic
# task settles it.
GRACE = timedelta(hours=24)
MIN_QUESTION_AGE = timedelta(days=2)
AMOUNTS = tuple(range(50, 501, 50))
MAX_ACTIVE_PER_USER = 3
# What an answer posted after the start needs to receive half an unawarded bounty.
AUTO_AWARD_MIN_SCORE = 2


class Bounty(models.Model):
    class Reason(models.TextChoices):
        # Stack Exchange's list, in its order.
        DRAW_ATTENTION = "attention", _("Draw attention")
        IMPROVE_DETAILS = "details", _("Improve details")
        OUTDATED = "outdated", _("Current answers are outdated")
        CANONICAL = "canonical", _("Canonical answer required")
        REWARD_EXISTING = "reward", _("Reward existing answer")
        REFERENCE = "reference", _("Authoritative reference needed")

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        # By the offerer, the whole amount.
        AWARDED = "awarded", _("awarded")
        # By the periodic task after the grace period: half to the top new answer.
        AUTO_AWARDED = "auto_awarded", _("half awarded automatically")
        # Ended unawarded, with no answer qualifying for half: the reputation is gone.
        EXPIRED = "expired", _("ended without an award")
        # The question was deleted: the offerer got the reputation back.
        REFUNDED = "refunded", _("refunded")

    question = models.ForeignKey(
        "questions.Post",
        verbose_name=_("question"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    offerer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("offered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    amount = models.PositiveIntegerField(_("amount"))
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    started_at = models.DateTimeField(_("started"))
    # The end of the bounty's week; it may be awarded until GRACE after it.
    ends_at = models.DateTimeField(_("ends"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    answer = models.ForeignKey(
        "questions.Post",
        verbose_name=_("awarded to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    awarded_amount = models.PositiveIntegerField(_("awarded"), default=0)
    # An imported bounty: its vote's address on the site it came from. Its reputation is
    # in the offerer's and the recipient's opening balances, not in the ledger.
    source_url = models.URLField(_("source URL"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("bounty")
        verbose_name_plural = _("bounties")
        constraints = [
            models.UniqueConstraint(
                fields=["question"],
                condition=Q(status="active"),
                name="bounty_one_active_per_question",
            ),
            models.UniqueConstraint(
                fields=["source_url"], condition=~Q(source_url=""), name="bounty_unique_source_url"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="bounty_amount_positive"),
            models.CheckConstraint(
                condition=Q(awarded_amount__lte=models.F("amount")),
                name="bounty_awards_at_most_its_amount",
            ),
        ]
        indexes = [
            # A member's active bounties (the limit), and their history on the profile.
            models.Index(fields=["offerer", "status"], name="bounty_offerer_idx"),
            models.Index(fields=["answer"], name="bounty_answer_idx"),
            # The periodic task's: active bounties by their end.
            models.Index(
                fields=["ends_at"], condition=Q(status="active"), name="bounty_active_ends_idx"
            ),
        ]

    def __str__(self):
        return f"+{self.amount} #{self.question_id}"

    @property
    def award_deadline(self):
        return self.ends_at + GRACE

    @property
    def is_active(self):
        return self.status == self.Status.ACTIVE
