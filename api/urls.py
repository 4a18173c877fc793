from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from api.views import pages, reads, writes
from api.views.base import NotFoundView

app_name = "api"

# Ids are read by the views (object_id): a negative or malformed one is a 400 that says
# so, not the site's 404 page.
ID = "(?P<pk>[^/]+)"

urlpatterns = [
    path("users/tokens/", pages.token_list, name="tokens"),
    path("users/tokens/<int:pk>/revoke/", pages.token_revoke, name="token_revoke"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", pages.docs, name="docs"),
    path("api/v1/questions/", writes.QuestionsView.as_view(), name="questions"),
    re_path(rf"^api/v1/questions/{ID}/$", reads.QuestionDetailView.as_view(), name="question"),
    re_path(
        rf"^api/v1/questions/{ID}/answers/$", writes.AnswerCreateView.as_view(), name="answers"
    ),
    re_path(rf"^api/v1/questions/{ID}/bookmark/$", writes.BookmarkView.as_view(), name="bookmark"),
    re_path(rf"^api/v1/answers/{ID}/$", reads.AnswerDetailView.as_view(), name="answer"),
    re_path(rf"^api/v1/answers/{ID}/accept/$", writes.AcceptView.as_view(), name="accept"),
    re_path(rf"^api/v1/posts/{ID}/$", writes.PostEditView.as_view(), name="post"),
    re_path(rf"^api/v1/posts/{ID}/comments/$", writes.CommentsView.as_view(), name="comments"),
    re_path(rf"^api/v1/posts/{ID}/revisions/$", reads.RevisionListView.as_view(), name="revisions"),
    re_path(rf"^api/v1/posts/{ID}/vote/$", writes.VoteView.as_view(), name="vote"),
    re_path(rf"^api/v1/posts/{ID}/flags/$", writes.PostFlagView.as_view(), name="post_flag"),
    re_path(rf"^api/v1/posts/{ID}/follow/$", writes.FollowView.as_view(), name="follow"),
    re_path(rf"^api/v1/comments/{ID}/$", reads.CommentDetailView.as_view(), name="comment"),
    re_path(
        rf"^api/v1/comments/{ID}/flags/$", writes.CommentFlagView.as_view(), name="comment_flag"
    ),
    path("api/v1/users/", reads.UserListView.as_view(), name="users"),
    re_path(rf"^api/v1/users/{ID}/$", reads.UserDetailView.as_view(), name="user"),
    re_path(rf"^api/v1/users/{ID}/posts/$", reads.UserPostsView.as_view(), name="user_posts"),
    re_path(rf"^api/v1/users/{ID}/badges/$", reads.UserBadgesView.as_view(), name="user_badges"),
    path("api/v1/badges/", reads.BadgeListView.as_view(), name="badges"),
    re_path(rf"^api/v1/badges/{ID}/$", reads.BadgeDetailView.as_view(), name="badge"),
    path("api/v1/tags/", reads.TagListView.as_view(), name="tags"),
    path("api/v1/search/", reads.SearchView.as_view(), name="search"),
    path("api/v1/inbox/", reads.InboxView.as_view(), name="inbox"),
    # Anything else under the API's prefix: a problem, not the site's HTML 404 page.
    re_path(r"^api/v1/", NotFoundView.as_view(), name="not_found"),
]
