"""Stack Exchange's read methods under /api/2.3/. Clients write them with or without a
trailing slash; `{ids}` is a ";"-separated list, read by the method (a bad one is its
error object, not a 404). Any other path is Stack Exchange's no_method."""

from django.urls import re_path

from seapi import views

app_name = "seapi"

IDS = r"(?P<ids>[^/]+)"


def method(pattern, view, name):
    return re_path(rf"^{pattern}/?$", view, name=name)


urlpatterns = [
    method("sites", views.sites, "sites"),
    method("info", views.info, "info"),
    method("questions", views.questions, "questions"),
    method("questions/unanswered", views.questions_unanswered, "questions_unanswered"),
    method("questions/no-answers", views.questions_no_answers, "questions_no_answers"),
    method("questions/featured", views.questions_featured, "questions_featured"),
    method(f"questions/{IDS}", views.questions_by_ids, "questions_by_ids"),
    method(f"questions/{IDS}/answers", views.question_answers, "question_answers"),
    method(f"questions/{IDS}/comments", views.question_comments, "question_comments"),
    method("answers", views.answers, "answers"),
    method(f"answers/{IDS}", views.answers_by_ids, "answers_by_ids"),
    method(f"answers/{IDS}/comments", views.answer_comments, "answer_comments"),
    method(f"answers/{IDS}/questions", views.answer_questions, "answer_questions"),
    method("comments", views.comments, "comments"),
    method(f"comments/{IDS}", views.comments_by_ids, "comments_by_ids"),
    method("posts", views.posts, "posts"),
    method(f"posts/{IDS}", views.posts_by_ids, "posts_by_ids"),
    method(f"posts/{IDS}/comments", views.post_comments, "post_comments"),
    method("users", views.users, "users"),
    method(f"users/{IDS}", views.users_by_ids, "users_by_ids"),
    method(f"users/{IDS}/questions", views.user_questions, "user_questions"),
    method(f"users/{IDS}/answers", views.user_answers, "user_answers"),
    method(f"users/{IDS}/comments", views.user_comments, "user_comments"),
    method("tags", views.tags, "tags"),
    method(r"tags/(?P<names>[^/]+)/info", views.tags_info, "tags_info"),
    method("search", views.search, "search"),
    method("search/advanced", views.search_advanced, "search_advanced"),
    method("similar", views.similar, "similar"),
    re_path(r"^(?P<path>.*)$", views.no_method, name="no_method"),
]
