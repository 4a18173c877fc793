from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.roles import is_moderator
from core.urls_cache import cached_reverse

TAG_NAME_PATTERN = r"^[a-z0-9+#.\-]{1,35}$"


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=35, unique=True)
    excerpt = models.TextField(_("description"), blank=True)
    # The tag's wiki: the longer text of its info page (Stack Exchange's tag wiki body).
    # wiki_html is what the page shows: rendered from wiki_markdown once the tag is edited
    # here, until then the HTML Stack Exchange rendered for an imported wiki.
    wiki_markdown = models.TextField(_("wiki"), blank=True)
    wiki_html = models.TextField(blank=True, editable=False)
    question_count = models.PositiveIntegerField(_("questions"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(name__regex=TAG_NAME_PATTERN), name="tag_name_format"
            ),
        ]
        indexes = [
            models.Index(fields=["-question_count", "name"], name="tag_popular_idx"),
            models.Index(fields=["-created_at"], name="tag_newest_idx"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return cached_reverse("questions:tagged", tag=self.name)


class ListTotal(models.Model):
    """How many questions a site-wide list holds, kept by the services as questions enter
    and leave it, so that no page counts a list that may hold millions of rows."""

    class Name(models.TextChoices):
        LISTED = "listed", _("listed questions")
        UNANSWERED = "unanswered", _("unanswered questions")

    name = models.CharField(_("list"), max_length=20, primary_key=True, choices=Name.choices)
    count = models.BigIntegerField(_("questions"), default=0)

    class Meta:
        verbose_name = _("list total")
        verbose_name_plural = _("list totals")

    def __str__(self):
        return f"{self.get_name_display()}: {self.count}"


class PostQuerySet(models.QuerySet):
    def questions(self):
        return self.filter(post_type=Post.PostType.QUESTION)

    def answers(self):
        return self.filter(post_type=Post.PostType.ANSWER)

    def visible(self):
        """Not deleted."""
        return self.filter(deleted_at__isnull=True)

    def listed(self):
        """What the lists, tag pages, search, feeds and the sitemap show: not deleted and
        not hidden by flags (a hidden question stays at its URL). The stored list totals
        (questions.services.lists) and the partial indexes on Post follow this rule."""
        return self.filter(deleted_at__isnull=True, hidden_at__isnull=True)

    def hidden(self):
        """What visible() holds and listed() leaves out: hidden by flags, not deleted."""
        return self.filter(deleted_at__isnull=True, hidden_at__isnull=False)

    def seen_by(self, viewer):
        """The posts `viewer` may see: deleted ones only for their authors and the
        moderators, who see them marked as deleted (the rule of permissions.can_see)."""
        if is_moderator(viewer):
            return self
        if viewer.is_authenticated:
            return self.filter(Q(deleted_at__isnull=True) | Q(author=viewer))
        return self.visible()

    def unanswered(self):
        return self.filter(answer_count=0)


class QuestionManager(models.Manager.from_queryset(PostQuerySet)):
    def get_queryset(self):
        return super().get_queryset().filter(post_type=Post.PostType.QUESTION)


class AnswerManager(models.Manager.from_queryset(PostQuerySet)):
    def get_queryset(self):
        return super().get_queryset().filter(post_type=Post.PostType.ANSWER)


class Post(models.Model):
    """A question or an answer: one table, as in Stack Exchange's own schema."""

    class PostType(models.IntegerChoices):
        QUESTION = 1, _("question")
        ANSWER = 2, _("answer")

    class CloseReason(models.TextChoices):
        """Why a question is closed: the one list, which close votes (moderation) and the
        Stack Exchange importer use too."""

        DUPLICATE = "duplicate", _("Duplicate")
        OFF_TOPIC = "off-topic", _("Off-topic")
        NEEDS_DETAILS = "needs-details", _("Needs details or clarity")
        NEEDS_FOCUS = "needs-focus", _("Needs more focus")
        OPINION_BASED = "opinion-based", _("Opinion-based")

    # Stack Exchange's close reasons before June 2013, which imported questions keep under
    # their old names; nobody closes a question for them here.
    IMPORTED_CLOSE_REASONS = {
        "exact-duplicate": _("Exact duplicate"),
        "subjective-and-argumentative": _("Subjective and argumentative"),
        "not-a-real-question": _("Not a real question"),
        "too-localized": _("Too localized"),
        "general-reference": _("General reference"),
        "noise-or-pointless": _("Noise or pointless"),
    }

    post_type = models.PositiveSmallIntegerField(_("type"), choices=PostType.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("question"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="answers",
    )

    title = models.CharField(_("title"), max_length=250, blank=True)
    slug = models.SlugField(_("slug"), max_length=250, blank=True)
    tags = models.ManyToManyField(
        Tag,
        verbose_name=_("tags"),
        related_name="questions",
        blank=True,
        through="PostTag",
    )
    body_markdown = models.TextField(_("body"))
    body_html = models.TextField(editable=False)

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="posts",
    )
    # Kept so that a post still names its author after the account is gone, and holds
    # the original author's name for imported posts.
    author_name = models.CharField(_("author name"), max_length=100, blank=True)

    score = models.IntegerField(_("score"), default=0)
    answer_count = models.PositiveIntegerField(_("answers"), default=0)
    comment_count = models.PositiveIntegerField(_("comments"), default=0)
    view_count = models.PositiveIntegerField(_("views"), default=0)
    accepted_answer = models.ForeignKey(
        "self",
        verbose_name=_("accepted answer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    created_at = models.DateTimeField(_("created"))
    last_edited_at = models.DateTimeField(_("last edited"), null=True, blank=True)
    last_editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last editor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    last_editor_name = models.CharField(max_length=100, blank=True)
    last_activity_at = models.DateTimeField(_("last activity"))

    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deleted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    close_reason = models.CharField(_("close reason"), max_length=50, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("duplicate of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    locked_at = models.DateTimeField(_("locked"), null=True, blank=True)
    protected_at = models.DateTimeField(_("protected"), null=True, blank=True)
    # Since when the post is community wiki: its votes give its author no reputation.
    wiki_at = models.DateTimeField(_("community wiki"), null=True, blank=True)
    # Who closed an imported question, as Stack Exchange recorded them:
    # [{"name": "Ada", "user": our user id or null}, ...].
    closers = models.JSONField(_("closed by"), default=list, blank=True)
    # A question moved between Stack Exchange sites: the address it came from or went to.
    migrated_from = models.URLField(_("migrated from"), max_length=300, blank=True)
    migrated_to = models.URLField(_("migrated to"), max_length=300, blank=True)
    migrated_at = models.DateTimeField(_("migrated"), null=True, blank=True)
    # Set when enough spam or rude flags hide a question from the lists until a
    # moderator looks at it.
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    # Set while a new member's first question or answer waits in the first posts' review
    # queue (FORUM_HOLD_FIRST_POSTS). A held post is stored as deleted (deleted_at, no
    # deleter), so that everything that leaves deleted posts out (the lists, search, the
    # APIs, the counters) leaves it out too; its author and the reviewers see it.
    held_at = models.DateTimeField(_("held for review"), null=True, blank=True)
    # The question's active bounty, kept by the bounties app's services (0: none), so that
    # the lists' Featured tab and the thread read it from the post itself.
    bounty_amount = models.PositiveIntegerField(_("bounty"), default=0)
    bounty_ends_at = models.DateTimeField(_("bounty ends"), null=True, blank=True)

    # Provenance of imported or translated content.
    source_url = models.URLField(_("source URL"), max_length=300, blank=True)
    licence = models.CharField(_("licence"), max_length=50, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    original_language = models.CharField(_("original language"), max_length=10, blank=True)

    # A token from the form that created the post: a resent form creates nothing twice.
    submission_token = models.UUIDField(null=True, blank=True, editable=False)

    objects = PostQuerySet.as_manager()

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(post_type=1, parent__isnull=True) | Q(post_type=2, parent__isnull=False)
                ),
                name="post_answers_have_a_question",
            ),
            models.UniqueConstraint(
                fields=["source_url"], condition=~Q(source_url=""), name="post_unique_source_url"
            ),
            models.UniqueConstraint(
                fields=["author", "submission_token"],
                condition=Q(submission_token__isnull=False),
                name="post_unique_submission",
            ),
        ]
        # One index per list ordering, limited to the rows the lists show.
        indexes = [
            # The Featured tab: questions with an active bounty, ending soonest first.
            models.Index(
                fields=["bounty_ends_at", "id"],
                condition=Q(post_type=1, deleted_at__isnull=True, bounty_amount__gt=0),
                name="question_featured_idx",
            ),
            models.Index(
                fields=["-last_activity_at", "-id"],
                condition=Q(post_type=1, deleted_at__isnull=True),
                name="question_active_idx",
            ),
            models.Index(
                fields=["-created_at", "-id"],
                condition=Q(post_type=1, deleted_at__isnull=True),
                name="question_newest_idx",
            ),
            models.Index(
                fields=["-score", "-id"],
                condition=Q(post_type=1, deleted_at__isnull=True),
                name="question_votes_idx",
            ),
            models.Index(
                fields=["-created_at", "-id"],
                condition=Q(post_type=1, deleted_at__isnull=True, answer_count=0),
                name="question_unanswered_idx",
            ),
            models.Index(fields=["parent", "-score", "created_at"], name="answer_score_idx"),
            # A tag's top answerers of the last 30 days: the site's answers of the month.
            models.Index(
                fields=["-created_at"],
                condition=Q(post_type=2, deleted_at__isnull=True),
                name="answer_newest_idx",
            ),
            models.Index(fields=["author", "-created_at"], name="post_author_idx"),
            # A profile's best questions and answers, and their counts from the index alone;
            # with the id and the question, a page of them by votes from the index alone,
            # however deep (questions.selectors.profile.user_posts_page).
            models.Index(
                fields=["author", "post_type", "-score", "-created_at", "-id"],
                include=["parent"],
                condition=Q(deleted_at__isnull=True),
                name="post_author_best_idx",
            ),
            # The same by date: a profile's Questions and Answers tabs sorted newest first.
            models.Index(
                fields=["author", "post_type", "-created_at", "-id"],
                include=["parent"],
                condition=Q(deleted_at__isnull=True),
                name="post_author_newest_idx",
            ),
            # The few deleted posts, which a profile's answer count leaves out the answers of.
            models.Index(
                fields=["id"], condition=Q(deleted_at__isnull=False), name="post_deleted_idx"
            ),
            # The few questions flags hid, which a tag page's total leaves out of the tag's count.
            models.Index(
                fields=["id"],
                condition=Q(hidden_at__isnull=False, deleted_at__isnull=True),
                name="post_hidden_idx",
            ),
        ]

    def __str__(self):
        return self.title or f"{self.get_post_type_display()} {self.pk}"

    def get_absolute_url(self):
        """Where the post shows: its thread, scrolled to it if it is an answer. (An
        answer's short permalink, /a/<id>, redirects here; linking it would cost the
        reader that redirect.)"""
        if self.is_question:
            return cached_reverse("questions:detail", pk=self.pk, slug=self.slug or "-")
        return f"{self.parent.get_absolute_url()}#answer-{self.pk}"

    @staticmethod
    def link_columns(relation):
        """The columns a link to the post at `relation` needs (its question's title and
        slug, an answer's anchor, whether either is deleted), for `.only()`."""
        fields = ("id", "post_type", "title", "slug", "deleted_at")
        return tuple(f"{relation}__{path}{field}" for path in ("", "parent__") for field in fields)

    @property
    def is_question(self):
        return self.post_type == self.PostType.QUESTION

    @property
    def question(self):
        return self if self.is_question else self.parent

    @property
    def question_id(self):
        """The id of the post's thread: its own for a question, its parent's for an answer."""
        return self.parent_id or self.pk

    @property
    def is_translated(self):
        return bool(self.original_language) and self.original_language != self.language


class Question(Post):
    objects = QuestionManager()

    class Meta:
        proxy = True
        verbose_name = _("question")
        verbose_name_plural = _("questions")


class Answer(Post):
    objects = AnswerManager()

    class Meta:
        proxy = True
        verbose_name = _("answer")
        verbose_name_plural = _("answers")


def attach_tags(posts):
    """Gives each of `posts` `shown_tags`: its question's tags (an answer's are its
    question's) by name, in one query for all of them. Lists and threads show tags on
    every question; prefetch_related("tags") would build a related manager and a
    queryset per post for the same rows."""
    question_of = [(post, post.pk if post.is_question else post.parent_id) for post in posts]
    question_ids = {question_id for _, question_id in question_of}
    tags_by_question = {}
    if question_ids:
        links = (
            Post.tags.through.objects.filter(post_id__in=question_ids)
            .order_by("position", "tag__name")
            .values_list("post_id", "tag_id", "tag__name")
        )
        tags = {}
        for question_id, tag_id, name in links:
            tag = tags.get(tag_id) or tags.setdefault(tag_id, Tag(id=tag_id, name=name))
            tags_by_question.setdefault(question_id, []).append(tag)
    for post, question_id in question_of:
        post.shown_tags = tags_by_question.get(question_id, [])


class PostTag(models.Model):
    """A question's tag, at its place in the order its author gave (imported questions
    keep Stack Exchange's order; tags added here have position 0 and follow by name)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        db_table = "questions_post_tags"
        verbose_name = _("tag of a question")
        verbose_name_plural = _("tags of questions")
        unique_together = [("post", "tag")]

    def __str__(self):
        return f"{self.post_id}: {self.tag_id}"


class CommentQuerySet(models.QuerySet):
    def visible(self):
        """Not deleted."""
        return self.filter(deleted_at__isnull=True)

    def seen_by(self, viewer):
        """The comments `viewer` may see: deleted ones only for the moderators, who see
        them marked as deleted (the rule of permissions.can_see_comment)."""
        if is_moderator(viewer):
            return self
        return self.visible()


class Comment(models.Model):
    post = models.ForeignKey(
        Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
    )
    author_name = models.CharField(_("author name"), max_length=100, blank=True)
    body_markdown = models.TextField(_("comment"))
    body_html = models.TextField(editable=False)
    # The number of its upvotes (CommentVote rows): comments are only voted up.
    score = models.IntegerField(_("score"), default=0)
    created_at = models.DateTimeField(_("created"))
    # Set when its author changed it (within FORUM_COMMENT_EDIT_MINUTES of posting it).
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deleted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    source_url = models.URLField(_("source URL"), max_length=300, blank=True)
    licence = models.CharField(_("licence"), max_length=50, blank=True)
    submission_token = models.UUIDField(null=True, blank=True, editable=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_url"], condition=~Q(source_url=""), name="comment_unique_source_url"
            ),
            models.UniqueConstraint(
                fields=["author", "submission_token"],
                condition=Q(submission_token__isnull=False),
                name="comment_unique_submission",
            ),
        ]
        indexes = [models.Index(fields=["post", "created_at", "id"], name="comment_post_idx")]

    def __str__(self):
        return self.body_markdown[:50]


class CommentVote(models.Model):
    """One member's upvote of a comment: it counts in `Comment.score` and gives no
    reputation. Imported and generated comments' scores are anonymous votes (Stack
    Exchange's dumps do not say who voted), so `user` may be empty."""

    comment = models.ForeignKey(
        Comment, verbose_name=_("comment"), on_delete=models.CASCADE, related_name="votes"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comment_votes",
    )
    created_at = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("comment vote")
        verbose_name_plural = _("comment votes")
        constraints = [
            # Also the index the thread reads the viewer's votes through.
            models.UniqueConstraint(
                fields=["comment", "user"], name="commentvote_one_per_user_and_comment"
            ),
        ]

    def __str__(self):
        return f"+1 comment {self.comment_id}"


class Vote(models.Model):
    """One user's vote on a post. Imported votes are anonymous (Stack Exchange's dumps
    do not say who voted), so `user` may be empty."""

    class Value(models.IntegerChoices):
        UP = 1, _("up")
        DOWN = -1, _("down")

    post = models.ForeignKey(
        Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="votes"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="votes",
    )
    value = models.SmallIntegerField(_("value"), choices=Value.choices)
    created_at = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["post", "user"], name="vote_one_per_user_and_post"),
            models.CheckConstraint(condition=Q(value__in=[1, -1]), name="vote_value_up_or_down"),
        ]

    def __str__(self):
        return f"{self.get_value_display()} #{self.post_id}"


class ReputationEvent(models.Model):
    """A line in a user's reputation ledger; `User.reputation` is kept as their sum."""

    class Kind(models.TextChoices):
        OPENING_BALANCE = "opening", _("opening balance")
        UPVOTED = "upvoted", _("upvoted")
        DOWNVOTED = "downvoted", _("downvoted")
        ACCEPTED = "accepted", _("answer accepted")
        ACCEPTING = "accepting", _("accepted an answer")
        DOWNVOTING = "downvoting", _("downvoted an answer")
        PENALTY = "penalty", _("penalty")
        SUGGESTED_EDIT = "suggested_edit", _("suggested edit approved")
        # Bounties (the bounties app): the reputation offered leaves the offerer at once,
        # goes to the answer it is awarded to, or comes back when the question is deleted.
        BOUNTY_OFFERED = "bounty_offered", _("bounty offered")
        BOUNTY_AWARDED = "bounty_awarded", _("bounty awarded")
        BOUNTY_REFUNDED = "bounty_refunded", _("bounty refunded")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="reputation_events",
    )
    post = models.ForeignKey(
        Post,
        verbose_name=_("post"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Who cast the vote an event comes from (None for acceptances, and for the anonymous
    # votes of an import): undoing the vote cancels the events of that post, voter and kind.
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voter"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    delta = models.IntegerField(_("change"))
    # Appended when a vote or an acceptance is undone: it cancels the earlier events of
    # its post, voter and kind (questions/reputation.py).
    reverses = models.BooleanField(_("reverses"), default=False)
    created_at = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("reputation event")
        verbose_name_plural = _("reputation events")
        indexes = [models.Index(fields=["user", "-created_at"], name="reputation_user_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.delta:+d}"


class DailyVoteCount(models.Model):
    """How many votes a user has cast on one UTC day, on posts and on comments, for the
    daily vote limits.

    Undoing a vote does not give it back, and a vote switched from up to down is cast
    again, so counting today's Vote rows would not do: this counter only ever grows.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("day"))
    votes = models.PositiveSmallIntegerField(_("votes"), default=0)
    # Comment upvotes have a daily limit of their own (FORUM_COMMENT_VOTES_PER_DAY).
    comment_votes = models.PositiveSmallIntegerField(_("comment votes"), default=0)

    class Meta:
        verbose_name = _("daily vote count")
        verbose_name_plural = _("daily vote counts")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "day"], name="dailyvotecount_one_per_user_and_day"
            ),
        ]

    def __str__(self):
        return f"{self.day}: {self.votes}"


class PostRevision(models.Model):
    """One version of a post. Edits and rollbacks append; nothing is overwritten."""

    post = models.ForeignKey(
        Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveIntegerField(_("revision"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    author_name = models.CharField(_("author name"), max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=250, blank=True)
    tags = models.CharField(_("tags"), max_length=200, blank=True)
    body_markdown = models.TextField(_("body"))
    summary = models.CharField(_("edit summary"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"))
    source_url = models.URLField(_("source URL"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["post", "number"]
        constraints = [
            models.UniqueConstraint(fields=["post", "number"], name="revision_unique_number"),
        ]

    def __str__(self):
        return f"{self.post_id} r{self.number}"


class TagRevision(models.Model):
    """One version of a tag's description and wiki, both as they stood after the change
    (imported from the dump's tag wiki posts' history, or appended by each edit here)."""

    tag = models.ForeignKey(
        Tag, verbose_name=_("tag"), on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveIntegerField(_("revision"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    author_name = models.CharField(_("author name"), max_length=100, blank=True)
    excerpt = models.TextField(_("description"), blank=True)
    wiki_markdown = models.TextField(_("wiki"), blank=True)
    summary = models.CharField(_("edit summary"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"))
    source_url = models.URLField(_("source URL"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("tag revision")
        verbose_name_plural = _("tag revisions")
        ordering = ["tag", "number"]
        constraints = [
            models.UniqueConstraint(fields=["tag", "number"], name="tag_revision_unique_number"),
        ]

    def __str__(self):
        return f"{self.tag_id} r{self.number}"


class PostLink(models.Model):
    """A link between two questions: related, or one a duplicate of the other."""

    class Kind(models.IntegerChoices):
        LINKED = 1, _("linked")
        DUPLICATE = 3, _("duplicate")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="links")
    related = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="linked_from")
    kind = models.PositiveSmallIntegerField(_("kind"), choices=Kind.choices)
    created_at = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("post link")
        verbose_name_plural = _("post links")
        constraints = [
            models.UniqueConstraint(fields=["post", "related", "kind"], name="postlink_unique"),
        ]

    def __str__(self):
        return f"{self.post_id} → {self.related_id} ({self.get_kind_display()})"


class TagPreference(models.Model):
    """A tag a member watches (its questions stand out in the lists, and reach their inbox
    and digests) or ignores (its questions are faded or left out, as the member chose:
    `User.hide_ignored_tags`). A tag is one or the other for a member, never both."""

    class Kind(models.TextChoices):
        WATCHED = "watched", _("watched")
        IGNORED = "ignored", _("ignored")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="tag_preferences",
    )
    tag = models.ForeignKey(Tag, verbose_name=_("tag"), on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("tag preference")
        verbose_name_plural = _("tag preferences")
        constraints = [
            # Also the index of a member's own preferences (the lists read them per page).
            models.UniqueConstraint(fields=["user", "tag"], name="tagpreference_one_per_tag"),
            models.CheckConstraint(
                condition=Q(kind__in=["watched", "ignored"]), name="tagpreference_kind_known"
            ),
        ]
        indexes = [
            # A tag's watchers in the order of their ids, read in batches by the fan-out
            # of a new question and by the digests (selectors.tag_preferences.watcher_ids).
            models.Index(fields=["tag", "kind", "user"], name="tagpreference_watchers_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.tag_id}"


class Bookmark(models.Model):
    """A question a member saved for later: their profile's Saved tab lists them."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="bookmarks",
    )
    question = models.ForeignKey(
        Post,
        verbose_name=_("question"),
        on_delete=models.CASCADE,
        related_name="bookmarks",
        limit_choices_to={"post_type": Post.PostType.QUESTION},
    )
    created_at = models.DateTimeField(_("saved"))

    class Meta:
        verbose_name = _("bookmark")
        verbose_name_plural = _("bookmarks")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "question"], name="bookmark_one_per_user_and_question"
            ),
        ]
        # The Saved tab: a member's bookmarks, newest first.
        indexes = [models.Index(fields=["user", "-created_at", "-id"], name="bookmark_user_idx")]

    def __str__(self):
        return f"{self.user_id} → {self.question_id}"


class UserTagStats(models.Model):
    """A member's posts in one tag: their visible questions in it, and their visible
    answers to its visible questions with those answers' summed score. Kept by the
    services with the posts, votes and tag edits they count (questions/profile_counts.py,
    checked by `recount`), so that a profile's top tags and a tag's top answerers read a
    few rows instead of the posts."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="tag_stats",
    )
    tag = models.ForeignKey(Tag, verbose_name=_("tag"), on_delete=models.CASCADE, related_name="+")
    question_count = models.IntegerField(_("questions"), default=0)
    answer_count = models.IntegerField(_("answers"), default=0)
    answer_score = models.IntegerField(_("answer score"), default=0)

    class Meta:
        verbose_name = _("user's tag statistics")
        verbose_name_plural = _("users' tag statistics")
        constraints = [
            models.UniqueConstraint(fields=["user", "tag"], name="usertagstats_one_per_tag"),
            models.CheckConstraint(
                condition=Q(question_count__gte=0, answer_count__gte=0),
                name="usertagstats_counts_not_negative",
            ),
        ]
        indexes = [
            # A profile's top tags, and a tag's top answerers of all time.
            models.Index(
                fields=["user", "-answer_score", "-answer_count"], name="usertagstats_user_idx"
            ),
            models.Index(fields=["tag", "-answer_score", "user"], name="usertagstats_tag_idx"),
        ]

    def __str__(self):
        return f"{self.user_id} in {self.tag_id}: {self.answer_score}"

    @property
    def post_count(self):
        return self.question_count + self.answer_count


class PostImage(models.Model):
    """An image a member uploaded for their posts (questions/post_images.py): the pixels
    of what they sent, re-encoded without metadata, in the default storage under `name`.
    Posts link it by its URL in their Markdown."""

    uploader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploader"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    name = models.CharField(_("stored name"), max_length=200, unique=True)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    size = models.PositiveIntegerField(_("size in bytes"))
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("image in a post")
        verbose_name_plural = _("images in posts")
        indexes = [models.Index(fields=["uploader", "-created_at"], name="postimage_uploader_idx")]

    def __str__(self):
        return self.name


class LinkedTitle(models.Model):
    """The title Stack Exchange showed for a bare link to a question of another site, read
    by the importer from the dump's rendered bodies (importers/stackexchange/titles.py): an
    edited imported post shows that link by this title, as Stack Exchange did.
    `url` is the question's address in its short form, https://<host>/q/<id>."""

    url = models.URLField(_("question URL"), max_length=300, unique=True)
    title = models.CharField(_("title"), max_length=300)

    class Meta:
        verbose_name = _("title of a linked question")
        verbose_name_plural = _("titles of linked questions")

    def __str__(self):
        return f"{self.url}: {self.title}"
