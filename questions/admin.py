from django.contrib import admin

from questions.models import Answer, Comment, Question, Tag

# Bodies are rendered to HTML when a post is written through the services; an edit here
# would leave the stored HTML stale, so the admin shows them read-only.
BODY_READ_ONLY = ["body_markdown"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["title", "author", "author_name", "score", "answer_count", "created_at", "closed_at", "deleted_at"]
    list_filter = ["created_at", "closed_at", "deleted_at"]
    list_select_related = ["author"]
    search_fields = ["title", "author_name", "author__username", "author__display_name"]
    date_hierarchy = "created_at"
    raw_id_fields = ["author", "last_editor", "deleted_by", "accepted_answer", "duplicate_of"]
    filter_horizontal = ["tags"]
    readonly_fields = BODY_READ_ONLY
    exclude = ["post_type", "parent"]


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ["__str__", "parent", "author", "author_name", "score", "created_at", "deleted_at"]
    list_select_related = ["parent", "author"]
    list_filter = ["created_at", "deleted_at"]
    search_fields = ["body_markdown", "author_name", "author__username", "author__display_name"]
    date_hierarchy = "created_at"
    raw_id_fields = ["parent", "author", "last_editor", "deleted_by"]
    readonly_fields = BODY_READ_ONLY
    exclude = [
        "post_type", "title", "slug", "tags", "answer_count", "view_count",
        "accepted_answer", "closed_at", "close_reason", "duplicate_of",
    ]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "post", "author", "author_name", "score", "created_at", "deleted_at"]
    list_select_related = ["post", "author"]
    list_filter = ["created_at", "deleted_at"]
    search_fields = ["body_markdown", "author_name", "author__username"]
    raw_id_fields = ["post", "author"]
    readonly_fields = BODY_READ_ONLY


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "question_count", "created_at"]
    search_fields = ["name"]
    ordering = ["-question_count", "name"]
