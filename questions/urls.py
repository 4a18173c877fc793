from django.urls import path

from questions import feeds
from questions.views import browse, discovery, editing, following, posting, search, users, voting

app_name = "questions"

urlpatterns = [
    path("", browse.question_list, name="list"),
    path("questions/ask/", posting.question_ask, name="ask"),
    path("questions/preview/", posting.markdown_preview, name="preview"),
    path("tags/autocomplete/", posting.tag_autocomplete, name="tag_autocomplete"),
    path("questions/similar/", discovery.similar_questions, name="similar"),
    path("questions/<int:pk>/", browse.question_detail, name="detail_noslug"),
    path("questions/<int:pk>/answer/", posting.answer_create, name="answer"),
    path("questions/<int:pk>/<str:slug>/", browse.question_detail, name="detail"),
    path("questions/tagged/<str:tag>/", browse.tagged_questions, name="tagged"),
    path("q/<int:pk>", browse.question_permalink, name="question_permalink"),
    path("a/<int:pk>", browse.answer_permalink, name="answer_permalink"),
    path("tags/", browse.tag_list, name="tags"),
    path("search/", search.search, name="search"),
    path("search/help/", search.search_help, name="search_help"),
    path("tags/<str:tag>/edit/", discovery.tag_edit, name="tag_edit"),
    path("tags/<str:tag>/topusers/", users.tag_top_users, name="tag_top_users"),
    path("tags/<str:tag>/watch/", following.tag_preference_set, name="tag_preference_set"),
    path("feeds/questions/", feeds.NewestQuestionsFeed(), name="feed_questions"),
    path("feeds/questions/<int:pk>/", feeds.ThreadAnswersFeed(), name="feed_thread"),
    path("feeds/tags/<str:tag>/", feeds.TagFeed(), name="feed_tag"),
    path("posts/<int:pk>/comments/", posting.comment_create, name="comment"),
    path("posts/<int:pk>/mentions/", posting.mention_suggestions, name="mention_suggestions"),
    path("comments/<int:pk>/edit/", posting.comment_edit, name="comment_edit"),
    path("comments/<int:pk>/vote/", voting.comment_vote, name="comment_vote"),
    path("posts/<int:pk>/edit/", editing.post_edit, name="edit"),
    path("posts/<int:pk>/revisions/", editing.revision_list, name="revisions"),
    path("posts/<int:pk>/revisions/<int:number>/rollback/", editing.post_rollback, name="rollback"),
    path("posts/<int:pk>/vote/", voting.post_vote, name="vote"),
    path("posts/<int:pk>/accept/", voting.answer_accept, name="accept"),
    path("posts/<int:pk>/save/", following.bookmark, name="bookmark"),
    path("users/tags/", following.tag_preferences, name="tag_preferences"),
    path("users/<int:pk>/", users.user_profile, name="profile_noslug"),
    path("users/<int:pk>/<str:slug>/", users.user_profile, name="profile"),
    path("users/<int:pk>/<str:slug>/reputation/", users.user_reputation, name="reputation"),
    path("users/<int:pk>/<str:slug>/saved/", users.user_saved, name="saved"),
    path("users/<int:pk>/<str:slug>/questions/", users.user_questions, name="user_questions"),
    path("users/<int:pk>/<str:slug>/answers/", users.user_answers, name="user_answers"),
    path("users/<int:pk>/<str:slug>/tags/", users.user_tags, name="user_tags"),
    path("users/<int:pk>/<str:slug>/votes/", users.user_votes, name="user_votes"),
]
