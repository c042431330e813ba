"""REST endpoints of the feeds (one per feed, one cursor semantics) and of the creator center."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import exceptions, generics, permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from config.pagination import CURSOR_PARAMETER, bad_cursor, next_link, page_size_of, size_parameter
from content import cards
from content.models import Channel
from content.selectors import viewer_state
from content.serializers import PostSerializer

from . import selectors
from .cursor import BadCursor
from .knobs import knob
from .services.discover import channel_page, discover_page
from .services.follow import follow_page
from .services.lists import hot_page, trending_topics
from .services.nearby import BadPoint, nearby_page
from .services.serving import FeedPage


def _rates(help_text: str, required: bool = True) -> serializers.DictField:
    return serializers.DictField(
        child=serializers.FloatField(allow_null=True), help_text=help_text, required=required
    )


class TransitionSerializer(serializers.Serializer):
    action = serializers.CharField()
    from_tier = serializers.IntegerField(allow_null=True)
    to_tier = serializers.IntegerField(allow_null=True)
    to_state = serializers.CharField()
    impressions = serializers.IntegerField()
    reason = serializers.CharField(help_text="the engine's own words (for operators)")
    said = serializers.CharField(help_text="the move in one plain Chinese sentence with its numbers and bars")
    advice = serializers.CharField(help_text="what the creator can do about it (may be empty)")
    rates = _rates("the rates that decided the move")
    at = serializers.DateTimeField()


class PoolSummarySerializer(serializers.Serializer):
    """A post's place in the pools (``feeds.selectors.pool_summary``); the fields after
    ``state`` are absent for a post that never entered them."""

    tier = serializers.IntegerField(allow_null=True)
    state = serializers.CharField(allow_null=True)
    where = serializers.CharField(help_text="where the post is on its way to 热门, in words")
    quota = serializers.IntegerField(required=False)
    impressions_in_tier = serializers.IntegerField(required=False)
    impressions_total = serializers.IntegerField(required=False)
    window_ends_at = serializers.DateTimeField(required=False, allow_null=True)
    windows = serializers.IntegerField(required=False)
    window_hours = serializers.FloatField(required=False)
    max_windows = serializers.IntegerField(required=False)
    evidence_needed = serializers.IntegerField(required=False)
    rates = _rates("rates measured in the tier", required=False)
    thresholds = _rates("the tier's promotion and stop thresholds", required=False)
    quality_score = serializers.FloatField(required=False)
    quality_reasons = serializers.ListField(child=serializers.CharField(), required=False)
    quality_threshold = serializers.FloatField(required=False)
    transitions = TransitionSerializer(many=True)


class CreatorPostSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.CharField()
    status = serializers.CharField()
    status_reason = serializers.CharField()
    created_at = serializers.DateTimeField()
    pool = serializers.SerializerMethodField()

    @extend_schema_field(PoolSummarySerializer)
    def get_pool(self, post) -> dict:
        return selectors.pool_summary(post)


class HourSerializer(serializers.Serializer):
    hour = serializers.DateTimeField()
    impressions = serializers.IntegerField(help_text="every impression in this hour")
    counted = serializers.IntegerField(
        help_text="those the current tier counts (none from a boost, a filler "
        "recommendation, a burst, or before the post entered this tier)"
    )


class CreatorPostDetailSerializer(CreatorPostSerializer):
    impressions_by_hour = HourSerializer(
        many=True, help_text="each hour since the post was published (at most a week), oldest first"
    )


class AccountWeightSerializer(serializers.Serializer):
    weight = serializers.FloatField(help_text="账号权重")
    computed_at = serializers.DateTimeField(allow_null=True)
    components = _rates("each component's value (empty before the first computation)")
    factors = _rates("each component's multiplier (empty before the first computation)")


class CreatorPostsView(generics.ListAPIView):
    """Each of my posts with its pool tier, impressions against quota, rates against
    thresholds and the transition history with reasons."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = CreatorPostSerializer
    filter_backends = []

    def get_queryset(self):
        return selectors.creator_posts(author=self.request.user)


class CreatorPostDetailView(APIView):
    """One of my posts in the pools, with its impressions per hour since it was published
    (at most a week): all of them, and those its current tier counts, as the creator
    center's chart shows them."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=CreatorPostDetailSerializer)
    def get(self, request, pk):
        post = get_object_or_404(selectors.creator_posts(author=request.user), pk=pk)
        data = CreatorPostSerializer(post).data
        chart = selectors.impressions_chart(post=post)
        data["impressions_by_hour"] = HourSerializer(chart["series"], many=True).data
        return Response(data)


class CreatorWeightView(APIView):
    """My account weight (账号权重) and the component behind each factor."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=AccountWeightSerializer)
    def get(self, request):
        return Response(selectors.account_weight_of(user=request.user))


# ---------------------------------------------------------------- feeds
class FeedItemSerializer(serializers.Serializer):
    """One card of a feed: the post, why it is there, and feed-specific marks."""

    post = serializers.SerializerMethodField()
    source = serializers.CharField()
    promoted = serializers.BooleanField()
    distance_km = serializers.FloatField(allow_null=True)

    @extend_schema_field(PostSerializer)
    def get_post(self, item) -> dict:
        return self.context["posts"][item.post.pk]


class FeedPageSerializer(serializers.Serializer):
    feed = serializers.CharField()
    results = FeedItemSerializer(many=True, source="items")
    next_cursor = serializers.CharField(allow_null=True, help_text="pass as `cursor` for the next page")
    next = serializers.SerializerMethodField()
    fallback = serializers.BooleanField(help_text="served from the database: Redis was unavailable or is being rebuilt")

    @extend_schema_field(serializers.URLField(allow_null=True, help_text="the next page's URL"))
    def get_next(self, page) -> str | None:
        return next_link(self.context["request"], page.next_cursor)


CURSOR = CURSOR_PARAMETER
SIZE = size_parameter(20)


class FeedView(APIView):
    """Base of the feed endpoints: same cursor semantics, same page shape."""

    permission_classes = [permissions.AllowAny]

    def page_size(self, request) -> int:
        return page_size_of(request, default=knob("FEED_PAGE_SIZE"))

    def fetch(self, request, **kwargs) -> FeedPage:  # pragma: no cover - overridden
        raise NotImplementedError

    def get(self, request, **kwargs):
        try:
            page = self.fetch(request, size=self.page_size(request), token=request.query_params.get("cursor"), **kwargs)
        except BadCursor as exc:
            raise bad_cursor() from exc
        state = viewer_state(user=request.user, post_ids=[p.pk for p in page.posts])
        # Cards come from the card cache: one Redis pipeline, the serializer only for
        # posts not rendered before (a serializer per card once cost more than the feed).
        posts = cards.render(page.posts, request=request, state=state)
        page.items = [i for i in page.items if i.post.pk in posts]
        context = {"request": request, "posts": posts}
        return Response(FeedPageSerializer(page, context=context).data)


@extend_schema(parameters=[CURSOR, SIZE], responses=FeedPageSerializer)
class DiscoverFeedView(FeedView):
    """为你推荐: posts ranked for you (interests, pools, hot, co-engagement, follows,
    nearby), mixed for variety. Paging walks a fixed order; each page served counts as
    impressions. Anonymous clients get the cold start (hot and varied channels)."""

    def fetch(self, request, *, size, token):
        return discover_page(request.user, token, size=size)


@extend_schema(parameters=[CURSOR, SIZE], responses=FeedPageSerializer)
class FollowFeedView(FeedView):
    """关注: posts of the people you follow, newest first."""

    permission_classes = [permissions.IsAuthenticated]

    def fetch(self, request, *, size, token):
        return follow_page(request.user, token, size=size)


@extend_schema(
    parameters=[
        OpenApiParameter("lat", float, description="your latitude, −90…90 (required without a cursor)"),
        OpenApiParameter("lng", float, description="your longitude, −180…180 (required without a cursor)"),
        CURSOR,
        SIZE,
    ],
    responses=FeedPageSerializer,
)
class NearbyFeedView(FeedView):
    """附近: posts nearest to a point first (their place, or their author's home), with
    the distance of each; the radius widens until the page is full."""

    def fetch(self, request, *, size, token):
        q = request.query_params
        try:
            return nearby_page(request.user, lat=q.get("lat"), lng=q.get("lng"), token=token, size=size)
        except BadPoint as exc:
            raise exceptions.ValidationError({"location": [str(exc)]}) from exc


@extend_schema(parameters=[CURSOR, SIZE], responses=FeedPageSerializer)
class ChannelFeedView(FeedView):
    """A channel and its sub-channels, ranked by your interests and heat."""

    def fetch(self, request, *, size, token, slug):
        channel = get_object_or_404(Channel.objects.select_related("parent"), slug=slug)
        return channel_page(request.user, channel, token, size=size)


@extend_schema(
    parameters=[OpenApiParameter("channel", str, description="a channel slug; omit for the global list"), CURSOR, SIZE],
    responses=FeedPageSerializer,
)
class HotFeedView(FeedView):
    """热门: the hot list (engagement with timeliness decay), global or per channel."""

    def fetch(self, request, *, size, token):
        slug = request.query_params.get("channel")
        channel = None
        if slug:
            channel = Channel.objects.select_related("parent").filter(slug=slug).first()
            if channel is None:
                raise exceptions.ValidationError({"channel": [f"没有这个频道：{slug}。"]})
        return hot_page(request.user, channel, token, size=size)


class TrendingSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    tag = serializers.CharField()
    recent = serializers.IntegerField(help_text="uses in the last day")
    baseline = serializers.FloatField(help_text="uses per day over the week before")
    score = serializers.FloatField()


class TrendingView(APIView):
    """Trending topics: tags rising fastest against their own baseline."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=TrendingSerializer(many=True))
    def get(self, request):
        return Response(TrendingSerializer(trending_topics(), many=True).data)
