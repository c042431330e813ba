"""REST endpoints of the wallet and boosts (all for the signed-in owner only)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from boosts import selectors, services
from boosts.models import Boost, LedgerEntry
from content.models import Post
from feeds.knobs import knobs


class LedgerEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = LedgerEntry
        fields = ["id", "kind", "amount", "balance_after", "key", "boost", "memo", "created_at"]


class WalletView(generics.ListAPIView):
    """My balance and my ledger, newest first (the balance is the sum of the entries)."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = LedgerEntrySerializer
    filter_backends = []

    def get_queryset(self):
        return selectors.ledger_of(user=self.request.user)

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
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


class BoostSerializer(serializers.ModelSerializer):
    report = serializers.SerializerMethodField()

    class Meta:
        model = Boost
        fields = ["id", "post", "post_title", "budget", "price_per_thousand", "cost", "targeting", "goal", "channel_ids",
                  "tag_ids", "lat", "lng", "radius_km", "starts_at", "ends_at", "status", "status_reason",
                  "delivered", "refunded", "closed_at", "created_at", "report"]

    @extend_schema_field(serializers.DictField(allow_null=True, help_text="only on a single boost"))
    def get_report(self, boost) -> dict | None:
        return selectors.boost_report(boost) if self.context.get("report") else None


class BoostOrderSerializer(serializers.Serializer):
    post = serializers.IntegerField()
    budget = serializers.IntegerField(help_text="impressions")
    hours = serializers.IntegerField()
    targeting = serializers.ChoiceField(choices=Boost.Targeting.choices)
    goal = serializers.ChoiceField(choices=Boost.Goal.choices, default=Boost.Goal.IMPRESSIONS,
                                   help_text="product_clicks: shown to people with buying interest")
    channels = serializers.ListField(child=serializers.SlugField(), required=False, default=list)
    tags = serializers.ListField(child=serializers.CharField(max_length=40), required=False, default=list)
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


class BoostPriceView(APIView):
    """The current price and the limits of an order."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        k = knobs()
        return Response({
            "price_per_thousand": k["BOOST_PRICE_PER_THOUSAND"],
            "impressions": k["BOOST_IMPRESSIONS_RANGE"],
            "hours": k["BOOST_HOURS_RANGE"],
            "radius_km": k["BOOST_RADIUS_KM_RANGE"],
            "topup": k["BOOST_TOPUP_RANGE"],
        })
