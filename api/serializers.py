"""What the API returns, and what it accepts. Output serializers read the rows the
selectors load (no field may load more); input serializers check types and refuse
unknown fields, and the pages' own forms then apply the rules."""

from datetime import UTC, datetime

from rest_framework import serializers

from api.pagination import MAX_ID, MAX_PAGE_SIZE
from api.views.base import StrictSerializer


def _absolute(serializer, path):
    request = serializer.context.get("request")
    return request.build_absolute_uri(path) if request else path


class OwnerSerializer(serializers.Serializer):
    """A post's author: an account, or only the name kept of one that is gone."""

    id = serializers.IntegerField(allow_null=True)
    display_name = serializers.CharField()
    reputation = serializers.IntegerField(allow_null=True)
    is_moderator = serializers.BooleanField()
    link = serializers.CharField(allow_null=True)

    def to_representation(self, post):
        user = post.author if post.author_id else None
        return {
            "id": post.author_id,
            "display_name": user.name if user else post.author_name,
            "reputation": user.reputation if user else None,
            "is_moderator": bool(user and user.is_moderator),
            "link": _absolute(self, user.get_absolute_url()) if user else None,
        }


class _OwnedSerializer(serializers.Serializer):
    owner = serializers.SerializerMethodField()

    def get_owner(self, obj) -> OwnerSerializer:
        return OwnerSerializer(obj, context=self.context).data


class CommentSerializer(_OwnedSerializer):
    id = serializers.IntegerField()
    post_id = serializers.IntegerField()
    body = serializers.CharField(source="body_html", help_text="HTML")
    score = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    edited_at = serializers.DateTimeField(allow_null=True)
    is_deleted = serializers.SerializerMethodField()

    def get_is_deleted(self, comment) -> bool:
        return comment.deleted_at is not None


class _PostSerializer(_OwnedSerializer):
    id = serializers.IntegerField()
    score = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    link = serializers.SerializerMethodField()

    def get_link(self, post) -> str:
        return _absolute(self, post.get_absolute_url())


class QuestionSummarySerializer(_PostSerializer):
    title = serializers.CharField()
    tags = serializers.SerializerMethodField()
    answer_count = serializers.IntegerField()
    view_count = serializers.IntegerField()
    accepted_answer_id = serializers.IntegerField(allow_null=True)
    last_activity_at = serializers.DateTimeField()

    def get_tags(self, question) -> list[str]:
        return [tag.name for tag in question.shown_tags]


class AnswerSerializer(_PostSerializer):
    question_id = serializers.IntegerField(source="parent_id")
    body = serializers.CharField(source="body_html", help_text="HTML")
    is_accepted = serializers.SerializerMethodField()
    last_edited_at = serializers.DateTimeField(allow_null=True)
    is_deleted = serializers.SerializerMethodField()
    comments = CommentSerializer(many=True, source="visible_comments")

    def get_is_accepted(self, answer) -> bool:
        return answer.parent.accepted_answer_id == answer.pk

    def get_is_deleted(self, post) -> bool:
        return post.deleted_at is not None


class QuestionSerializer(QuestionSummarySerializer):
    body = serializers.CharField(source="body_html", help_text="HTML")
    comment_count = serializers.IntegerField()
    last_edited_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    close_reason = serializers.CharField()
    locked_at = serializers.DateTimeField(allow_null=True)
    is_deleted = serializers.SerializerMethodField()
    comments = CommentSerializer(many=True, source="visible_comments")
    answers = AnswerSerializer(many=True, source="thread_answers")

    def get_is_deleted(self, post) -> bool:
        return post.deleted_at is not None


class UserPostSerializer(_PostSerializer):
    """One of a member's posts: a question, or an answer with its question's title."""

    post_type = serializers.SerializerMethodField()
    title = serializers.SerializerMethodField()
    question_id = serializers.SerializerMethodField()

    def get_post_type(self, post) -> str:
        return "question" if post.is_question else "answer"

    def get_title(self, post) -> str:
        return post.title if post.is_question else post.parent.title

    def get_question_id(self, post) -> int:
        return post.pk if post.is_question else post.parent_id


class BadgeCountsSerializer(serializers.Serializer):
    gold = serializers.IntegerField(source="badges_gold")
    silver = serializers.IntegerField(source="badges_silver")
    bronze = serializers.IntegerField(source="badges_bronze")


class UserSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    display_name = serializers.CharField(source="name")
    reputation = serializers.IntegerField()
    is_moderator = serializers.BooleanField()
    created_at = serializers.DateTimeField(source="date_joined")
    badge_counts = BadgeCountsSerializer(source="*")
    link = serializers.SerializerMethodField()

    def get_link(self, user) -> str:
        return _absolute(self, user.get_absolute_url())


class UserDetailSerializer(UserSerializer):
    location = serializers.CharField()
    website = serializers.CharField()
    about = serializers.CharField(source="about_html", help_text="HTML")
    last_seen_at = serializers.DateTimeField(allow_null=True)


class BadgeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="label", help_text="In the request's language")
    badge_class = serializers.CharField(source="class_name", help_text="gold, silver or bronze")
    description = serializers.CharField()
    award_count = serializers.IntegerField()
    is_tag_badge = serializers.SerializerMethodField()
    link = serializers.SerializerMethodField()

    def get_is_tag_badge(self, badge) -> bool:
        return badge.tag_id is not None

    def get_link(self, badge) -> str:
        return _absolute(self, badge.get_absolute_url())


class HeldBadgeSerializer(BadgeSerializer):
    """A badge a member holds: how many times, and when last."""

    times = serializers.IntegerField()
    last_awarded_at = serializers.DateTimeField(source="last_awarded")


class TagSerializer(serializers.Serializer):
    name = serializers.CharField()
    question_count = serializers.IntegerField()
    excerpt = serializers.CharField()


class RevisionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    title = serializers.CharField()
    tags = serializers.SerializerMethodField()
    body_markdown = serializers.CharField()
    summary = serializers.CharField()
    created_at = serializers.DateTimeField()
    author = serializers.SerializerMethodField()

    def get_tags(self, revision) -> list[str]:
        return revision.tags.split()

    def get_author(self, revision) -> str:
        return revision.author.name if revision.author_id else revision.author_name


class SearchResultSerializer(_PostSerializer):
    post_type = serializers.SerializerMethodField()
    title = serializers.SerializerMethodField()
    tags = serializers.SerializerMethodField()
    snippet = serializers.CharField(help_text="HTML, the matched words marked")

    def get_post_type(self, post) -> str:
        return "question" if post.is_question else "answer"

    def get_title(self, post) -> str:
        return post.title if post.is_question else post.parent.title

    def get_tags(self, post) -> list[str]:
        return [tag.name for tag in post.shown_tags]


class InboxEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    created_at = serializers.DateTimeField()
    is_unread = serializers.SerializerMethodField()
    question_title = serializers.SerializerMethodField()
    link = serializers.SerializerMethodField()

    def get_is_unread(self, entry) -> bool:
        return entry.read_at is None

    def get_question_title(self, entry) -> str | None:
        return entry.question.title if entry.question_id else None

    def get_link(self, entry) -> str | None:
        return _absolute(self, entry.url) if entry.url else None


# Query parameters


class PageParams(StrictSerializer):
    pagesize = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=f"Rows per page; more than {MAX_PAGE_SIZE} is read as {MAX_PAGE_SIZE}.",
    )
    cursor = serializers.CharField(
        required=False, help_text="The `next_cursor` of the page before."
    )


class TimestampField(serializers.DateTimeField):
    """A time as Unix seconds (Stack Exchange's way) or ISO 8601."""

    def to_internal_value(self, value):
        if isinstance(value, str) and value.isdigit():
            try:
                return datetime.fromtimestamp(int(value), tz=UTC)
            except (OverflowError, ValueError, OSError):
                self.fail("invalid", format="Unix seconds or ISO 8601")
        return super().to_internal_value(value)


class QuestionListParams(PageParams):
    tagged = serializers.CharField(
        required=False, help_text="Tags separated by `;`: questions with all of them."
    )
    sort = serializers.ChoiceField(
        choices=["activity", "creation", "votes"], required=False, default="activity"
    )
    fromdate = TimestampField(required=False, help_text="Created at or after (Unix or ISO 8601).")
    todate = TimestampField(required=False, help_text="Created before (Unix or ISO 8601).")
    unanswered = serializers.BooleanField(required=False, default=False)


class UserListParams(PageParams):
    pass


class TagListParams(PageParams):
    sort = serializers.ChoiceField(choices=["popular", "name"], required=False, default="popular")


class SearchParams(StrictSerializer):
    q = serializers.CharField(help_text="The site's search syntax: [tag], user:1, score:3 …")
    sort = serializers.ChoiceField(
        choices=["relevance", "newest", "votes", "active"], required=False
    )
    page = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID, default=1)


class InboxParams(StrictSerializer):
    before = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text="The `next_before` of the page before.",
    )


# Bodies


class QuestionCreateInput(StrictSerializer):
    title = serializers.CharField(trim_whitespace=False)
    body = serializers.CharField(trim_whitespace=False, help_text="Markdown")
    tags = serializers.ListField(child=serializers.CharField(), allow_empty=True)
    submission_token = serializers.UUIDField(
        required=False, help_text="Sent again with a retried request, it posts once."
    )


class AnswerCreateInput(StrictSerializer):
    body = serializers.CharField(trim_whitespace=False, help_text="Markdown")
    submission_token = serializers.UUIDField(required=False)


class CommentCreateInput(AnswerCreateInput):
    pass


class PostEditInput(StrictSerializer):
    body = serializers.CharField(trim_whitespace=False, required=False, help_text="Markdown")
    title = serializers.CharField(trim_whitespace=False, required=False, help_text="Questions")
    tags = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Questions"
    )
    summary = serializers.CharField(required=False, allow_blank=True)
    revision = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="The revision the edit starts from; 409 if the post was edited since.",
    )


class VoteInput(StrictSerializer):
    value = serializers.ChoiceField(choices=["up", "down", "undo"])


class FlagInput(StrictSerializer):
    reason = serializers.CharField()
    text = serializers.CharField(required=False, allow_blank=True)


class EmptyInput(StrictSerializer):
    pass


# Write outcomes


class VoteOutcomeSerializer(serializers.Serializer):
    score = serializers.IntegerField()
    vote = serializers.ChoiceField(choices=["up", "down", "none"])


class AcceptOutcomeSerializer(serializers.Serializer):
    accepted = serializers.BooleanField()
    accepted_answer_id = serializers.IntegerField(allow_null=True)


class FlagOutcomeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    message = serializers.CharField()


class StateSerializer(serializers.Serializer):
    """A yes-or-no state after a change: following, saved."""

    active = serializers.BooleanField()
    changed = serializers.BooleanField()


class EditOutcomeSerializer(serializers.Serializer):
    changed = serializers.BooleanField()
    message = serializers.CharField()
