"""Badges, the awards of them, and what some rules need recorded: the days a member
visited, the visits a question's share link brought."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Badge(models.Model):
    """One badge: a row of the table in `badges/table.py` (`key`), a tag badge (`tag`),
    or a badge an imported dump names that the table does not have (`imported`)."""

    class Class(models.IntegerChoices):
        # Stack Exchange's numbers (Badges.xml's Class).
        GOLD = 1, _("gold")
        SILVER = 2, _("silver")
        BRONZE = 3, _("bronze")

    key = models.CharField(_("key"), max_length=40, blank=True)
    # The English name; the table's rows are shown in the visitor's language.
    name = models.CharField(_("name"), max_length=50)
    badge_class = models.PositiveSmallIntegerField(_("class"), choices=Class.choices)
    tag = models.ForeignKey(
        "questions.Tag",
        verbose_name=_("tag"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    # Awarded at most once per member (else once per post, year, queue …).
    once = models.BooleanField(_("awarded once"), default=True)
    imported = models.BooleanField(_("imported"), default=False)
    # How many awards of it there are, kept by the award service with F().
    award_count = models.PositiveIntegerField(_("awarded"), default=0)

    class Meta:
        verbose_name = _("badge")
        verbose_name_plural = _("badges")
        ordering = ["badge_class", "name"]
        constraints = [
            models.UniqueConstraint(fields=["key"], condition=~Q(key=""), name="badge_unique_key"),
            models.UniqueConstraint(
                fields=["tag", "badge_class"],
                condition=Q(tag__isnull=False),
                name="badge_unique_tag_class",
            ),
            models.UniqueConstraint(
                fields=["name", "badge_class"],
                condition=Q(imported=True),
                name="badge_unique_imported_name",
            ),
            models.CheckConstraint(
                condition=Q(badge_class__in=[1, 2, 3]), name="badge_class_known"
            ),
        ]

    def __str__(self):
        return self.label

    def get_absolute_url(self):
        return reverse("badges:detail", kwargs={"pk": self.pk, "slug": self.slug})

    @property
    def definition(self):
        from badges.table import BADGES  # noqa: PLC0415 (the table reads these models)

        return BADGES.get(self.key) if self.key else None

    @property
    def label(self):
        """The name in the active language (a tag badge is its tag's name)."""
        definition = self.definition
        return str(definition.name) if definition else self.name

    @property
    def description(self):
        definition = self.definition
        if definition:
            return str(definition.description)
        if self.tag_id:
            return tag_badge_description(self)
        return gettext("Imported from the Stack Exchange site this one continues.")

    @property
    def slug(self):
        return slugify(self.name) or "badge"

    @property
    def class_name(self):
        return {1: "gold", 2: "silver", 3: "bronze"}[self.badge_class]


def tag_badge_description(badge):
    from badges.table import TAG_THRESHOLDS  # noqa: PLC0415

    score, answers = TAG_THRESHOLDS[badge.badge_class]
    return gettext(
        "Earned at least %(score)s total score for at least %(answers)s non-community wiki "
        "answers in the %(tag)s tag."
    ) % {"score": score, "answers": answers, "tag": badge.name}


class Award(models.Model):
    """A member holds a badge: once (the partial unique constraint on badge and user), or
    once per `key` for badges awarded many times ("post:12", "year:2", "queue:…", and
    "se:<id>" for an award an imported dump lists)."""

    badge = models.ForeignKey(
        Badge, verbose_name=_("badge"), on_delete=models.CASCADE, related_name="awards"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="badge_awards",
    )
    # The badge's `once`, copied, so that the database can hold the rule.
    once = models.BooleanField(_("awarded once"))
    key = models.CharField(_("for"), max_length=60, blank=True)
    post = models.ForeignKey(
        "questions.Post",
        verbose_name=_("post"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    awarded_at = models.DateTimeField(_("awarded"))
    imported = models.BooleanField(_("imported"), default=False)

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        constraints = [
            models.UniqueConstraint(
                fields=["badge", "user"], condition=Q(once=True), name="award_once_per_user"
            ),
            models.UniqueConstraint(
                fields=["badge", "user", "key"],
                condition=Q(once=False),
                name="award_once_per_user_and_key",
            ),
        ]
        indexes = [
            # A badge's recipients, newest first.
            models.Index(fields=["badge", "-awarded_at", "-id"], name="award_badge_idx"),
            # A member's badges.
            models.Index(fields=["user", "badge"], name="award_user_idx"),
        ]

    def __str__(self):
        return f"{self.badge_id} → {self.user_id}"


class VisitStreak(models.Model):
    """The days in a row a member visited (UTC days), for Enthusiast and Fanatic."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
    )
    last_day = models.DateField(_("last visit"))
    days = models.PositiveIntegerField(_("days in a row"), default=1)
    longest = models.PositiveIntegerField(_("longest run"), default=1)

    class Meta:
        verbose_name = _("visit streak")
        verbose_name_plural = _("visit streaks")

    def __str__(self):
        return f"{self.user_id}: {self.days}"


class ShareVisit(models.Model):
    """A visitor that came to a question through the share link of a member: once per
    link and visitor address (kept as a keyed hash, never the address itself)."""

    question = models.ForeignKey(
        "questions.Post", verbose_name=_("question"), on_delete=models.CASCADE, related_name="+"
    )
    sharer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("shared by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    visitor = models.CharField(_("visitor"), max_length=64)
    created_at = models.DateTimeField(_("visited"))

    class Meta:
        verbose_name = _("share visit")
        verbose_name_plural = _("share visits")
        constraints = [
            models.UniqueConstraint(
                fields=["sharer", "question", "visitor"], name="sharevisit_once_per_visitor"
            ),
        ]

    def __str__(self):
        return f"{self.sharer_id} → {self.question_id}"
