"""REST endpoints of the wallet and boosts (all for the signed-in owner only)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from boosts import selectors, services
from boosts.models import Boost, LedgerEntry
from config.pagination import CURSOR_PARAMETER, size_parameter
from content.models import Post
from feeds.knobs import knobs


class LedgerEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = LedgerEntry
        fields = ["id", "kind", "amount", "balance_after", "key", "boost", "memo", "created_at"]


class WalletPageSerializer(serializers.Serializer):
    """A page of the ledger (the API's page shape) with the wallet's balance."""

    results = LedgerEntrySerializer(many=True)
    next_cursor = serializers.CharField(allow_null=True, help_text="pass as `cursor` for the next page")
    next = serializers.URLField(allow_null=True, help_text="the next page's URL")
    balance = serializers.IntegerField(help_text="credits (分): the sum of every entry")


class WalletView(generics.GenericAPIView):
    """My balance and my ledger, newest first (the balance is the sum of the entries)."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = LedgerEntrySerializer
    filter_backends = []

    def get_queryset(self):
        return selectors.ledger_of(user=self.request.user)

    # A page of the ledger plus the balance: the page is built here, so the schema's
    # answer is WalletPageSerializer as it stands, not wrapped in a second page.
    @extend_schema(parameters=[CURSOR_PARAMETER, size_parameter(20)], responses=WalletPageSerializer)
    def get(self, request):
        entries = self.paginate_queryset(self.get_queryset())
        response = self.get_paginated_response(LedgerEntrySerializer(entries, many=True).data)
        response.data["balance"] = services.balance_of(request.user)
        return response


class TopUpSerializer(serializers.Serializer):
    amount = serializers.IntegerField(help_text="credits (分)")
    key = serializers.CharField(max_length=64, help_text="idempotency key: the same key is charged once")


class TopUpView(APIView):
    """Top up the wallet (a simulated payment). Retrying with the same key is safe."""

    permission_classes = [permissions.IsAuthenticated]
    throttle_scope = "interact"

    @extend_schema(request=TopUpSerializer, responses={201: LedgerEntrySerializer, 200: LedgerEntrySerializer})
    def post(self, request):
        data = TopUpSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = services.topup(user=request.user, amount=data.validated_data["amount"], key=data.validated_data["key"])
        return Response(LedgerEntrySerializer(result.entry).data,
                        status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)


class BoostHourSerializer(serializers.Serializer):
    hour = serializers.DateTimeField()
    impressions = serializers.IntegerField()


class EngagementSerializer(serializers.Serializer):
    likes = serializers.IntegerField()
    favourites = serializers.IntegerField()
    comments = serializers.IntegerField()
    shares = serializers.IntegerField()


class BoostReportSerializer(serializers.Serializer):
    """What a boost did (``boosts.selectors.boost_report``)."""

    delivered = serializers.IntegerField(help_text="boosted impressions served")
    budget = serializers.IntegerField(help_text="impressions bought")
    viewers = serializers.IntegerField(help_text="distinct people reached")
    engagement = EngagementSerializer(help_text="what those people did to the post after seeing it")
    engagement_rate = serializers.FloatField()
    cost = serializers.IntegerField(help_text="credits charged")
    spent = serializers.IntegerField(help_text="credits used by the impressions delivered")
    refunded = serializers.IntegerField(help_text="credits returned")
    by_hour = BoostHourSerializer(many=True, help_text="boosted impressions per hour, oldest first")
    goal = serializers.ChoiceField(choices=Boost.Goal.choices)
    product_clicks = serializers.IntegerField(help_text="viewers who opened one of the post's products")
    product_orders = serializers.IntegerField(help_text="viewers who ordered one of them")
    cost_per_click = serializers.FloatField(allow_null=True, help_text="credits spent per product click")
    cost_per_order = serializers.FloatField(allow_null=True, help_text="credits spent per order")


class BoostSerializer(serializers.ModelSerializer):
    channel_ids = serializers.ListField(child=serializers.IntegerField(), read_only=True,
                                        help_text="targeted channels, sub-channels included")
    tag_ids = serializers.ListField(child=serializers.IntegerField(), read_only=True)
    report = serializers.SerializerMethodField()

    class Meta:
        model = Boost
        fields = ["id", "post", "post_title", "budget", "price_per_thousand", "cost", "targeting", "goal", "channel_ids",
                  "tag_ids", "lat", "lng", "radius_km", "starts_at", "ends_at", "status", "status_reason",
                  "delivered", "refunded", "closed_at", "created_at", "report"]

    @extend_schema_field(BoostReportSerializer(allow_null=True, help_text="only on a single boost"))
    def get_report(self, boost) -> dict | None:
        return selectors.boost_report(boost) if self.context.get("report") else None


class BoostOrderSerializer(serializers.Serializer):
    post = serializers.IntegerField()
    budget = serializers.IntegerField(help_text="impressions")
    hours = serializers.IntegerField()
    targeting = serializers.ChoiceField(choices=Boost.Targeting.choices)
    goal = serializers.ChoiceField(choices=Boost.Goal.choices, default=Boost.Goal.IMPRESSIONS,
                                   help_text="product_clicks: shown to people with buying interest")
    channels = serializers.ListField(
        child=serializers.SlugField(max_length=40), required=False, default=list, max_length=100
    )
    tags = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, default=list, max_length=100
    )
    lat = serializers.FloatField(required=False, allow_null=True, default=None)
    lng = serializers.FloatField(required=False, allow_null=True, default=None)
    radius_km = serializers.FloatField(required=False, allow_null=True, default=None)


class BoostListView(generics.ListCreateAPIView):
    """My boosts (newest first); POST orders one and charges its price from my wallet."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = BoostSerializer
    filter_backends = []

    def get_queryset(self):
        return selectors.boosts_of(user=self.request.user)

    @extend_schema(request=BoostOrderSerializer, responses={201: BoostSerializer})
    def post(self, request, *args, **kwargs):
        data = BoostOrderSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        post = get_object_or_404(Post, pk=d["post"])
        targeting = services.Targeting(kind=d["targeting"], channels=d["channels"], tags=d["tags"],
                                       lat=d["lat"], lng=d["lng"], radius_km=d["radius_km"])
        boost = services.boost_create(buyer=request.user, post=post, budget=d["budget"], hours=d["hours"],
                                      targeting=targeting, goal=d["goal"])
        return Response(BoostSerializer(boost).data, status=status.HTTP_201_CREATED)


class BoostDetailView(APIView):
    """One of my boosts with its report: delivered, engagement, cost, impressions per hour."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=BoostSerializer)
    def get(self, request, pk):
        boost = get_object_or_404(selectors.boosts_of(user=request.user), pk=pk)
        return Response(BoostSerializer(boost, context={"report": True}).data)


class BoostStopView(APIView):
    """Stop one of my boosts; the unspent credits come back to the wallet."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses=BoostSerializer)
    def post(self, request, pk):
        boost = get_object_or_404(selectors.boosts_of(user=request.user), pk=pk)
        boost = services.boost_stop(boost=boost, actor=request.user)
        return Response(BoostSerializer(boost, context={"report": True}).data)


def _range(help_text: str, child: serializers.Field | None = None) -> serializers.ListField:
    return serializers.ListField(
        child=child or serializers.IntegerField(), min_length=2, max_length=2, help_text=help_text
    )


class BoostPriceSerializer(serializers.Serializer):
    price_per_thousand = serializers.IntegerField(help_text="credits per 1 000 impressions")
    impressions = _range("[least, most] impressions an order buys")
    hours = _range("[least, most] hours a boost runs")
    radius_km = _range("[least, most] radius of place targeting", serializers.FloatField())
    topup = _range("[least, most] credits a top-up adds")


class BoostPriceView(APIView):
    """The current price and the limits of an order."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=BoostPriceSerializer)
    def get(self, request):
        k = knobs()
        return Response({
            "price_per_thousand": k["BOOST_PRICE_PER_THOUSAND"],
            "impressions": k["BOOST_IMPRESSIONS_RANGE"],
            "hours": k["BOOST_HOURS_RANGE"],
            "radius_km": k["BOOST_RADIUS_KM_RANGE"],
            "topup": k["BOOST_TOPUP_RANGE"],
        })
