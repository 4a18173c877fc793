"""Stack Exchange's read methods under /api/2.3/. Clients write them with or without a
trailing slash; `{ids}` is a ";"-separated list, read by the method (a bad one is its
error object, not a 404). Any other path is Stack Exchange's no_method."""

from django.urls import re_path

from seapi.views import method, people, posts, search, site

app_name = "seapi"

IDS = r"(?P<ids>[^/]+)"


def route(pattern, view, name):
    return re_path(rf"^{pattern}/?$", view, name=name)


urlpatterns = [
    route("sites", site.sites, "sites"),
    route("info", site.info, "info"),
    route("questions", posts.questions, "questions"),
    route("questions/unanswered", posts.questions_unanswered, "questions_unanswered"),
    route("questions/no-answers", posts.questions_no_answers, "questions_no_answers"),
    route("questions/featured", posts.questions_featured, "questions_featured"),
    route(f"questions/{IDS}", posts.questions_by_ids, "questions_by_ids"),
    route(f"questions/{IDS}/answers", posts.question_answers, "question_answers"),
    route(f"questions/{IDS}/comments", posts.question_comments, "question_comments"),
    route("answers", posts.answers, "answers"),
    route(f"answers/{IDS}", posts.answers_by_ids, "answers_by_ids"),
    route(f"answers/{IDS}/comments", posts.answer_comments, "answer_comments"),
    route(f"answers/{IDS}/questions", posts.answer_questions, "answer_questions"),
    route("comments", posts.comments, "comments"),
    route(f"comments/{IDS}", posts.comments_by_ids, "comments_by_ids"),
    route("posts", posts.posts, "posts"),
    route(f"posts/{IDS}", posts.posts_by_ids, "posts_by_ids"),
    route(f"posts/{IDS}/comments", posts.post_comments, "post_comments"),
    route("users", people.users, "users"),
    route(f"users/{IDS}", people.users_by_ids, "users_by_ids"),
    route(f"users/{IDS}/questions", people.user_questions, "user_questions"),
    route(f"users/{IDS}/answers", people.user_answers, "user_answers"),
    route(f"users/{IDS}/comments", people.user_comments, "user_comments"),
    route("tags", people.tags, "tags"),
    route(r"tags/(?P<names>[^/]+)/info", people.tags_info, "tags_info"),
    route("search", search.search, "search"),
    route("search/advanced", search.search_advanced, "search_advanced"),
    route("similar", search.similar, "similar"),
    re_path(r"^(?P<path>.*)$", method.no_method, name="no_method"),
]
