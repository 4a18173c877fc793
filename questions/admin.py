"""Content in the staff /admin/, to look at rather than to change. Posts and comments are
written through the site, whose services keep what a form here would bypass: revisions,
stored HTML, counters, list totals, tag counts and the page cache. So they cannot be added,
changed or deleted here (deletion is soft and audited); their states change through the
actions moderation's admin adds to questions and answers, which call its services."""

from django.contrib import admin
from django.db import models

from questions import services
from questions.models import Answer, Comment, Question, Tag


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never added, changed or deleted through the admin's forms: what changes does so
    through actions and the services behind them (moderation's admin adds those)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ContentAdmin(ReadOnlyAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Question)
class QuestionAdmin(ContentAdmin):
    list_display = [
        "title",
        "author",
        "author_name",
        "score",
        "answer_count",
        "created_at",
        "closed_at",
        "deleted_at",
    ]
    list_filter = ["created_at", "closed_at", "deleted_at"]
    list_select_related = ["author"]
    search_fields = ["title", "author_name", "author__username", "author__display_name"]
    date_hierarchy = "created_at"
    exclude = ["post_type", "parent"]


@admin.register(Answer)
class AnswerAdmin(ContentAdmin):
    list_display = [
        "__str__",
        "parent",
        "author",
        "author_name",
        "score",
        "created_at",
        "deleted_at",
    ]
    list_select_related = ["parent", "author"]
    list_filter = ["created_at", "deleted_at"]
    search_fields = ["body_markdown", "author_name", "author__username", "author__display_name"]
    date_hierarchy = "created_at"
    exclude = [
        "post_type",
        "title",
        "slug",
        "tags",
        "answer_count",
        "view_count",
        "accepted_answer",
        "closed_at",
        "close_reason",
        "duplicate_of",
        "protected_at",
    ]


@admin.register(Comment)
class CommentAdmin(ContentAdmin):
    list_display = ["__str__", "post", "author", "author_name", "score", "created_at", "deleted_at"]
    list_select_related = ["post", "author"]
    list_filter = ["created_at", "deleted_at"]
    search_fields = ["body_markdown", "author_name", "author__username"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    """Only a tag's description changes here, through the service the tag's page uses. Tags
    come with the questions that use them; renaming or deleting one would change those
    questions without a revision, and the count is the services'."""

    list_display = ["name", "question_count", "created_at"]
    search_fields = ["name"]
    ordering = ["-question_count", "name"]
    fields = ["name", "excerpt", "question_count", "created_at"]
    readonly_fields = ["name", "question_count", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.tag_describe(
            tag=Tag.objects.get(pk=obj.pk), description=obj.excerpt, editor=request.user
        )
