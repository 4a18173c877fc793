"""The API's reads, through the selectors the pages use: the same rows, the same rules of
who may see what, a fixed number of queries whatever the page size."""

from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions
from rest_framework import serializers as fields
from rest_framework.response import Response

from api import selectors as api_selectors
from api import serializers
from api.errors import InvalidInput, RateLimited
from api.models import AccessToken
from api.pagination import keyset_page, page_size
from api.views.base import ApiView, object_id, query_params
from badges import selectors as badge_selectors
from core import throttling
from notifications import selectors as inbox_selectors
from questions import search as search_module
from questions import selectors
from questions.forms import MAX_TAGS
from questions.models import attach_tags
from questions.selectors.lists import question_list
from questions.selectors.thread import DEFAULT_ANSWER_TAB
from questions.views.search import RATE_WINDOW_SECONDS

# The API's sort names (Stack Exchange's), the question lists' tabs, and their columns.
QUESTION_SORTS = {"activity": "active", "creation": "newest", "votes": "votes"}
SORT_COLUMNS = {"activity": "last_activity_at", "creation": "created_at", "votes": "score"}
TAG_SORTS = {"popular": ("question_count", True), "name": ("name", False)}


def listing(name, item, *, cursor="next_cursor"):
    """The schema of a list: its items, whether more follow and how to ask for them,
    and the client's quota (as Stack Exchange's wrapper has it)."""
    return inline_serializer(
        name=name,
        fields={
            "items": item(many=True),
            "has_more": fields.BooleanField(),
            cursor: fields.JSONField(allow_null=True),
            "quota_max": fields.IntegerField(),
            "quota_remaining": fields.IntegerField(),
        },
    )


ID = OpenApiParameter("id", int, OpenApiParameter.PATH)


class ListView(ApiView):
    def listed(self, request, rows, following, serializer_class, *, cursor="next_cursor"):
        items = serializer_class(rows, many=True, context={"request": request}).data
        return Response(
            {
                "items": items,
                "has_more": following is not None,
                cursor: following,
                **self.quota_fields(),
            }
        )

    def keyset(self, request, queryset, *, params, column, descending=True):
        return keyset_page(
            queryset,
            column=column,
            size=page_size(params.get("pagesize")),
            cursor=params.get("cursor"),
            descending=descending,
        )


class QuestionListView(ListView):
    @extend_schema(
        operation_id="questions_list",
        parameters=[serializers.QuestionListParams],
        responses=listing("QuestionList", serializers.QuestionSummarySerializer),
    )
    def get(self, request):
        params = query_params(request, serializers.QuestionListParams)
        questions = question_list(tab=QUESTION_SORTS[params["sort"]])
        if params["unanswered"]:
            questions = questions.unanswered()
        names = {name.strip().lower() for name in params.get("tagged", "").split(";")} - {""}
        if len(names) > MAX_TAGS:
            raise InvalidInput({"tagged": [_("Ask for at most %(max)s tags.") % {"max": MAX_TAGS}]})
        if names:
            questions = questions.filter(*api_selectors.tagged_all(sorted(names)))
        if "fromdate" in params:
            questions = questions.filter(created_at__gte=params["fromdate"])
        if "todate" in params:
            questions = questions.filter(created_at__lt=params["todate"])
        rows, following = self.keyset(
            request, questions, params=params, column=SORT_COLUMNS[params["sort"]]
        )
        attach_tags(rows)
        return self.listed(request, rows, following, serializers.QuestionSummarySerializer)


def thread(request, pk):
    """The question `pk` with its answers and all their comments, as the viewer may see
    them: the thread page's queries."""
    question = selectors.question_for_thread(pk=pk, viewer=request.user)
    question.thread_answers = selectors.thread_answers(
        question=question, tab=DEFAULT_ANSWER_TAB, viewer=request.user
    )
    return question


class QuestionDetailView(ApiView):
    @extend_schema(
        operation_id="questions_retrieve",
        parameters=[ID],
        responses=serializers.QuestionSerializer,
    )
    def get(self, request, pk):
        question = thread(request, object_id(pk))
        return Response(serializers.QuestionSerializer(question, context={"request": request}).data)


def answer_for_viewer(request, pk):
    answer = selectors.post_for_viewer(pk=object_id(pk), viewer=request.user)
    if answer.is_question:
        raise Http404
    return answer


class AnswerDetailView(ApiView):
    @extend_schema(
        operation_id="answers_retrieve", parameters=[ID], responses=serializers.AnswerSerializer
    )
    def get(self, request, pk):
        answer = answer_for_viewer(request, pk)
        answer = api_selectors.post_with_author(post=answer)
        answer.visible_comments = list(
            api_selectors.post_comments(post=answer, viewer=request.user)
        )
        return Response(serializers.AnswerSerializer(answer, context={"request": request}).data)


class CommentDetailView(ApiView):
    @extend_schema(
        operation_id="comments_retrieve", parameters=[ID], responses=serializers.CommentSerializer
    )
    def get(self, request, pk):
        comment = selectors.comment_for_viewer(pk=object_id(pk), viewer=request.user)
        comment = api_selectors.comment_with_author(comment=comment)
        return Response(serializers.CommentSerializer(comment, context={"request": request}).data)


class PostCommentsView(ApiView):
    @extend_schema(
        operation_id="posts_comments_list",
        parameters=[ID],
        responses=serializers.CommentSerializer(many=True),
    )
    def get(self, request, pk):
        post = selectors.post_for_viewer(pk=object_id(pk), viewer=request.user)
        comments = api_selectors.post_comments(post=post, viewer=request.user)
        return Response(
            serializers.CommentSerializer(comments, many=True, context={"request": request}).data
        )


class RevisionListView(ApiView):
    @extend_schema(
        operation_id="posts_revisions_list",
        parameters=[ID],
        responses=serializers.RevisionSerializer(many=True),
    )
    def get(self, request, pk):
        post = selectors.post_for_viewer(pk=object_id(pk), viewer=request.user)
        revisions = selectors.revision_history(post=post)
        return Response(serializers.RevisionSerializer(revisions, many=True).data)


class UserListView(ListView):
    @extend_schema(
        operation_id="users_list",
        parameters=[serializers.PageParams],
        responses=listing("UserList", serializers.UserSerializer),
    )
    def get(self, request):
        params = query_params(request, serializers.PageParams)
        rows, following = self.keyset(
            request, api_selectors.users(), params=params, column="reputation"
        )
        return self.listed(request, rows, following, serializers.UserSerializer)


class UserDetailView(ApiView):
    @extend_schema(
        operation_id="users_retrieve", parameters=[ID], responses=serializers.UserDetailSerializer
    )
    def get(self, request, pk):
        user = api_selectors.active_user(pk=object_id(pk))
        return Response(serializers.UserDetailSerializer(user, context={"request": request}).data)


class UserPostsView(ListView):
    @extend_schema(
        operation_id="users_posts_list",
        parameters=[ID, serializers.PageParams],
        responses=listing("UserPostList", serializers.UserPostSerializer),
    )
    def get(self, request, pk):
        user = api_selectors.active_user(pk=object_id(pk))
        params = query_params(request, serializers.PageParams)
        posts = api_selectors.user_posts(user=user, viewer=request.user)
        rows, following = self.keyset(request, posts, params=params, column="created_at")
        return self.listed(request, rows, following, serializers.UserPostSerializer)


class BadgeListView(ListView):
    @extend_schema(
        operation_id="badges_list",
        parameters=[serializers.PageParams],
        responses=listing("BadgeList", serializers.BadgeSerializer),
    )
    def get(self, request):
        params = query_params(request, serializers.PageParams)
        rows, following = self.keyset(
            request, api_selectors.badges(), params=params, column="id", descending=False
        )
        return self.listed(request, rows, following, serializers.BadgeSerializer)


class BadgeDetailView(ApiView):
    @extend_schema(
        operation_id="badges_retrieve", parameters=[ID], responses=serializers.BadgeSerializer
    )
    def get(self, request, pk):
        badge = badge_selectors.badge_detail(pk=object_id(pk))
        return Response(serializers.BadgeSerializer(badge, context={"request": request}).data)


class UserBadgesView(ApiView):
    @extend_schema(
        operation_id="users_badges_list",
        parameters=[ID],
        responses=serializers.HeldBadgeSerializer(many=True),
    )
    def get(self, request, pk):
        user = api_selectors.active_user(pk=object_id(pk))
        badges = badge_selectors.member_badges(member=user)
        return Response(
            serializers.HeldBadgeSerializer(badges, many=True, context={"request": request}).data
        )


class TagListView(ListView):
    @extend_schema(
        operation_id="tags_list",
        parameters=[serializers.TagListParams],
        responses=listing("TagList", serializers.TagSerializer),
    )
    def get(self, request):
        params = query_params(request, serializers.TagListParams)
        column, descending = TAG_SORTS[params["sort"]]
        rows, following = self.keyset(
            request, api_selectors.tags(), params=params, column=column, descending=descending
        )
        return self.listed(request, rows, following, serializers.TagSerializer)


def _search_visitor(request):
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    return f"address:{throttling.client_address(request)}"


class SearchView(ListView):
    @extend_schema(
        operation_id="search",
        parameters=[serializers.SearchParams],
        responses=inline_serializer(
            name="SearchResults",
            fields={
                "items": serializers.SearchResultSerializer(many=True),
                "has_more": fields.BooleanField(),
                "page": fields.IntegerField(),
                "notes": fields.ListField(child=fields.CharField()),
                "quota_max": fields.IntegerField(),
                "quota_remaining": fields.IntegerField(),
            },
        ),
    )
    def get(self, request):
        params = query_params(request, serializers.SearchParams)
        terms = search_module.parse_query(
            params["q"], max_length=settings.FORUM_SEARCH_MAX_QUERY_LENGTH
        )
        if terms.is_empty:
            raise InvalidInput({"q": [_("Say what to search for.")]})
        # The search page's own limit, counted with the page's searches.
        searches = throttling.count("search", _search_visitor(request), window=RATE_WINDOW_SECONDS)
        if searches > settings.FORUM_SEARCH_RATE_PER_MINUTE:
            raise RateLimited(
                _("You can search %(count)s times a minute; please wait a moment.")
                % {"count": settings.FORUM_SEARCH_RATE_PER_MINUTE},
                wait=RATE_WINDOW_SECONDS,
            )
        results = search_module.search(
            terms, viewer=request.user, sort=params.get("sort"), page_number=params["page"]
        )
        page = results.page
        if params["page"] > page.paginator.num_pages:
            page.object_list = []
        items = serializers.SearchResultSerializer(
            page.object_list, many=True, context={"request": request}
        ).data
        return Response(
            {
                "items": items,
                "has_more": bool(page.object_list) and page.has_next(),
                "page": params["page"],
                "notes": [str(note) for note in results.notes],
                **self.quota_fields(),
            }
        )


class InboxView(ListView):
    scope = AccessToken.Scope.INBOX

    @extend_schema(
        operation_id="inbox_list",
        parameters=[serializers.InboxParams],
        responses=listing("Inbox", serializers.InboxEntrySerializer, cursor="next_before"),
    )
    def get(self, request):
        if not request.user.is_authenticated:
            raise exceptions.NotAuthenticated(_("You need to log in first."))
        params = query_params(request, serializers.InboxParams)
        entries, older = inbox_selectors.inbox_page(user=request.user, before=params.get("before"))
        return self.listed(
            request, entries, older, serializers.InboxEntrySerializer, cursor="next_before"
        )
