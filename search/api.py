"""REST endpoints of search: results, suggestions, history, hot searches, result clicks."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import exceptions, permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.serializers import UserBriefSerializer
from config.pagination import CURSOR_PARAMETER, bad_cursor, next_link, page_size_of, size_parameter
from content import cards
from content.models import Post
from content.selectors import post_get_for_viewer, viewer_state
from content.serializers import PostSerializer, TagSerializer
from search import selectors, services
from search.selectors import SORTS, TYPES, BadQuery, Query

MAX_OFFSET = 1000


def _float(request, name: str) -> float | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    try:
        value = float(raw)
    except ValueError:
        raise exceptions.ValidationError({name: [_("{name} must be a number.").format(name=name)]}) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise exceptions.ValidationError({name: [_("{name} must be a finite number.").format(name=name)]})
    return value


def _offset(request) -> int:
    """Return the offset a search cursor holds (0 without one); a bad cursor is a 400."""
    raw = request.query_params.get("cursor")
    if raw in (None, ""):
        return 0
    if not raw.isascii() or not raw.isdigit() or int(raw) > MAX_OFFSET:
        raise bad_cursor()
    return int(raw)


class SearchPageSerializer(serializers.Serializer):
    query = serializers.CharField()
    type = serializers.ChoiceField(choices=TYPES)
    sort = serializers.ChoiceField(choices=SORTS)
    total = serializers.IntegerField(help_text="posts found (up to the candidate limit)")
    posts = serializers.SerializerMethodField()
    users = UserBriefSerializer(many=True)
    topics = TagSerializer(many=True)
    next_cursor = serializers.CharField(
        allow_null=True, help_text="pass as `cursor` for the next page"
    )
    next = serializers.URLField(allow_null=True, help_text="the next page's URL")

    @extend_schema_field(PostSerializer(many=True))
    def get_posts(self, page) -> list[dict]:
        return page["posts"]  # already rendered from the card cache


Q_PARAM = OpenApiParameter(
    "q", OpenApiTypes.STR, description="what to search for (up to 100 characters)"
)


@extend_schema(
    parameters=[
        Q_PARAM,
        OpenApiParameter(
            "type",
            OpenApiTypes.STR,
            enum=list(TYPES),
            description="tab: 综合 all, 笔记 note, 视频 video, 用户 user, 话题 topic",
        ),
        OpenApiParameter("sort", OpenApiTypes.STR, enum=list(SORTS)),
        OpenApiParameter(
            "channel", OpenApiTypes.STR, description="a channel slug (its sub-channels included)"
        ),
        OpenApiParameter(
            "lat", OpenApiTypes.DOUBLE, description="with lng: only posts within SEARCH_NEARBY_KM"
        ),
        OpenApiParameter("lng", OpenApiTypes.DOUBLE),
        CURSOR_PARAMETER,
        size_parameter(20),
    ],
    responses=SearchPageSerializer,
)
class SearchView(APIView):
    """Search notes, videos, people and topics. The first page of a query is recorded in
    the searcher's history, counts toward hot searches and teaches their interest profile."""

    permission_classes = [permissions.AllowAny]

    def get(self, request):
        params = request.query_params
        try:
            query = Query(
                text=params.get("q", ""),
                type=params.get("type") or "all",
                sort=params.get("sort") or "relevance",
                channel=params.get("channel", "")[:40],
                lat=_float(request, "lat"),
                lng=_float(request, "lng"),
                offset=_offset(request),
                size=page_size_of(request, default=20),
            )
            results = selectors.search(query, user=request.user)
        except BadQuery as exc:
            raise exceptions.ValidationError({"detail": str(exc)}) from None
        if query.text and query.offset == 0:
            services.search_record(user=request.user, query=query.text)
        state = viewer_state(user=request.user, post_ids=[p.pk for p in results.posts])
        rendered = cards.render(results.posts, request=request, state=state)
        next_cursor = (
            str(results.next_offset)
            if results.next_offset is not None and results.next_offset <= MAX_OFFSET
            else None
        )
        page = {
            "query": query.text,
            "type": query.type,
            "sort": query.sort,
            "total": results.total,
            "posts": [rendered[p.pk] for p in results.posts if p.pk in rendered],
            "users": results.users,
            "topics": results.topics,
            "next_cursor": next_cursor,
            "next": next_link(request, next_cursor),
        }
        return Response(SearchPageSerializer(page, context={"request": request}).data)


class SuggestionSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["topic", "post", "user"])
    text = serializers.CharField()
    username = serializers.CharField(required=False)


@extend_schema(parameters=[Q_PARAM], responses=SuggestionSerializer(many=True))
class SuggestView(APIView):
    """Completions while typing: topics, titles and people starting with (or matching) q."""

    permission_classes = [permissions.AllowAny]

    def get(self, request):
        return Response(selectors.suggestions(request.query_params.get("q", ""), user=request.user))


class HistorySerializer(serializers.Serializer):
    queries = serializers.ListField(child=serializers.CharField())


class HistoryView(APIView):
    """The signed-in person's recent searches (GET), or clear them (DELETE)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=HistorySerializer)
    def get(self, request):
        return Response({"queries": selectors.history(user=request.user)})

    @extend_schema(responses={204: None})
    def delete(self, request):
        services.history_clear(user=request.user)
        return Response(status=204)


class HotSearchSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    query = serializers.CharField()
    searches = serializers.IntegerField(help_text="distinct searchers in the recent window")


@extend_schema(responses=HotSearchSerializer(many=True))
class HotView(APIView):
    """热搜: the queries rising fastest against their own baseline."""

    permission_classes = [permissions.AllowAny]

    def get(self, request):
        return Response(HotSearchSerializer(selectors.hot_searches(), many=True).data)


class ClickSerializer(serializers.Serializer):
    post = serializers.IntegerField(min_value=1, help_text="the id of the result opened")


@extend_schema(request=ClickSerializer, responses={204: None})
class ClickView(APIView):
    """Tell the engine a search result was opened: a signal for the clicker's profile."""

    permission_classes = [permissions.IsAuthenticated]
    throttle_scope = "interact"

    def post(self, request):
        data = ClickSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            post = post_get_for_viewer(pk=data.validated_data["post"], user=request.user)
        except Post.DoesNotExist:
            raise exceptions.NotFound(_("No such post.")) from None
        services.search_click_record(user=request.user, post=post)
        return Response(status=204)
