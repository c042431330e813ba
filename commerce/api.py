"""REST endpoints of commerce: products on posts, their events, orders, a seller's figures."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import generics, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from commerce import selectors, services
from commerce.models import Order, Product
from config.pagination import (
    CURSOR_PARAMETER,
    bad_cursor,
    page_response,
    page_size_of,
    size_parameter,
)
from content.models import Channel, Post
from feeds import cursor as cursors

SHOP_PAGE_SIZE = 20  # selling posts per page of my shop's figures
SHOP_CURSOR = "creator-shop"  # the signed cursor's list name (feeds.cursor)


class ProductSerializer(serializers.ModelSerializer):
    channel = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    seller = serializers.CharField(source="seller.username", read_only=True)

    class Meta:
        model = Product
        fields = [
            "id",
            "post",
            "seller",
            "title",
            "price",
            "stock",
            "image_url",
            "channel",
            "checkout",
            "external_url",
            "created_at",
        ]


class ProductCreateSerializer(serializers.Serializer):
    post = serializers.IntegerField()
    title = serializers.CharField(max_length=60)
    price = serializers.IntegerField(help_text="whole 分 (0.01 yuan)")
    stock = serializers.IntegerField()
    channel = serializers.SlugField(
        max_length=40, required=False, help_text="defaults to the post's channel"
    )
    checkout = serializers.ChoiceField(
        choices=Product.Checkout.choices, default=Product.Checkout.IN_APP
    )
    external_url = serializers.URLField(max_length=300, required=False, allow_blank=True, default="")
    image_url = serializers.URLField(max_length=300, required=False, allow_blank=True, default="")


class ProductIdsSerializer(serializers.Serializer):
    products = serializers.ListField(child=serializers.IntegerField(min_value=1), max_length=50)


class ProductQuerySerializer(serializers.Serializer):
    post = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False)
    seller = serializers.CharField(max_length=150, required=False)


class ProductListView(generics.ListCreateAPIView):
    """Products on sale (on public posts), newest first; ``?post=`` or ``?seller=`` narrows.
    POST puts a product on one of my posts (a shop is needed)."""

    serializer_class = ProductSerializer
    filter_backends = []

    def get_permissions(self):
        if self.request.method == "POST":
            return [permissions.IsAuthenticated()]
        return [permissions.AllowAny()]

    def get_queryset(self):
        query = ProductQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)  # a 400, not an overflow, for a huge post id
        qs = selectors.products_listed(post_id=query.validated_data.get("post"))
        if seller := query.validated_data.get("seller"):
            qs = qs.filter(seller__username=seller)
        return qs.select_related("seller", "channel")

    @extend_schema(parameters=[ProductQuerySerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=ProductCreateSerializer, responses={201: ProductSerializer})
    def post(self, request, *args, **kwargs):
        data = ProductCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        post = get_object_or_404(Post, pk=d["post"])
        channel = get_object_or_404(Channel, slug=d["channel"]) if d.get("channel") else None
        product = services.product_create(
            seller=request.user,
            post=post,
            title=d["title"],
            price=d["price"],
            stock=d["stock"],
            channel=channel,
            checkout=d["checkout"],
            external_url=d["external_url"],
            image_url=d["image_url"],
        )
        return Response(ProductSerializer(product).data, status=status.HTTP_201_CREATED)


class ProductDetailView(APIView):
    """One product on sale."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=ProductSerializer)
    def get(self, request, pk):
        product = get_object_or_404(
            selectors.products_listed().select_related("seller", "channel"), pk=pk
        )
        return Response(ProductSerializer(product).data)


class OpenedSerializer(serializers.Serializer):
    product = serializers.IntegerField()
    first = serializers.BooleanField(help_text="the first time I opened it (an interest signal)")


class RecordedSerializer(serializers.Serializer):
    recorded = serializers.IntegerField(help_text="impressions counted (once per person)")


class ProductOpenView(APIView):
    """Record that I opened a product card (counted once per person; teaches my interests)."""

    permission_classes = [permissions.IsAuthenticated]
    throttle_scope = "interact"

    @extend_schema(request=None, responses=OpenedSerializer)
    def post(self, request, pk):
        product = get_object_or_404(selectors.products_listed(), pk=pk)
        first = services.product_opened(user=request.user, product=product)
        return Response({"product": product.pk, "first": first})


class ProductSeenView(APIView):
    """Record that product cards were shown to me (impressions, once per person)."""

    permission_classes = [permissions.IsAuthenticated]
    throttle_scope = "interact"

    @extend_schema(request=ProductIdsSerializer, responses=RecordedSerializer)
    def post(self, request):
        data = ProductIdsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        products = list(selectors.products_listed().filter(pk__in=data.validated_data["products"]))
        return Response({"recorded": services.product_seen(user=request.user, products=products)})


class OrderSerializer(serializers.ModelSerializer):
    class Meta:
        model = Order
        fields = [
            "id",
            "product",
            "post",
            "product_title",
            "quantity",
            "unit_price",
            "amount",
            "key",
            "status",
            "created_at",
            "cancelled_at",
        ]


class OrderCreateSerializer(serializers.Serializer):
    product = serializers.IntegerField()
    quantity = serializers.IntegerField(default=1)
    key = serializers.CharField(
        max_length=64, help_text="idempotency key: the same key is charged once"
    )


class OrderListView(generics.ListAPIView):
    """My orders, newest first; POST buys a product in the app, paid from my wallet.
    Retrying with the same key is safe (200 with the first order)."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = OrderSerializer
    filter_backends = []

    def get_queryset(self):
        return selectors.orders_of(user=self.request.user)

    @extend_schema(
        request=OrderCreateSerializer, responses={201: OrderSerializer, 200: OrderSerializer}
    )
    def post(self, request):
        data = OrderCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        try:
            placed = services.order_create(
                buyer=request.user, product_id=d["product"], quantity=d["quantity"], key=d["key"]
            )
        except Product.DoesNotExist:
            return Response(
                {"detail": _("No such product."), "code": "not_found"},
                status=status.HTTP_404_NOT_FOUND,
            )
        return Response(
            OrderSerializer(placed.order).data,
            status=status.HTTP_201_CREATED if placed.created else status.HTTP_200_OK,
        )


class OrderCancelView(APIView):
    """Cancel one of my paid orders: the credits come back, the items go back in stock."""

    permission_classes = [permissions.IsAuthenticated]
    throttle_scope = "interact"

    @extend_schema(request=None, responses=OrderSerializer)
    def post(self, request, pk):
        order = get_object_or_404(selectors.orders_of(user=request.user), pk=pk)
        return Response(
            OrderSerializer(services.order_cancel(order=order, actor=request.user)).data
        )


class ShopProductSerializer(serializers.Serializer):
    """One product of a selling post and its figures (``{"product", "figures"}``)."""

    id = serializers.IntegerField(source="product.pk")
    title = serializers.CharField(source="product.title")
    status = serializers.CharField(source="product.status")
    stock = serializers.IntegerField(source="product.stock")
    impressions = serializers.IntegerField(source="figures.impressions")
    clicks = serializers.IntegerField(source="figures.clicks")
    orders = serializers.IntegerField(source="figures.orders")
    conversion_rate = serializers.SerializerMethodField()
    gmv = serializers.IntegerField(source="figures.gmv", help_text="分 of paid orders")

    def get_conversion_rate(self, row) -> float:
        return round(row["figures"].conversion, 5)


class ShopFiguresSerializer(serializers.Serializer):
    post = serializers.IntegerField(source="post_id")
    title = serializers.CharField()
    tier = serializers.IntegerField(allow_null=True)
    state = serializers.CharField(allow_null=True)
    conversion = serializers.FloatField(
        allow_null=True, help_text="the pools' smoothed orders per impression"
    )
    bar = serializers.FloatField(help_text="the tier's conversion bar")
    impressions = serializers.IntegerField(source="total.impressions")
    clicks = serializers.IntegerField(source="total.clicks")
    orders = serializers.IntegerField(source="total.orders")
    conversion_rate = serializers.FloatField(
        source="total.conversion", help_text="orders per product impression"
    )
    gmv = serializers.IntegerField(source="total.gmv", help_text="分 of paid orders")
    moves = serializers.ListField(child=serializers.CharField())
    products = serializers.SerializerMethodField()

    @extend_schema_field(ShopProductSerializer(many=True))
    def get_products(self, shop) -> list[dict]:
        return ShopProductSerializer(
            [{"product": p, "figures": f} for p, f in shop.products], many=True
        ).data


class CreatorShopView(APIView):
    """My selling posts: per product and post, impressions, clicks, orders, conversion and
    GMV, against the bar the pools use, and the pool moves conversion took part in."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[CURSOR_PARAMETER, size_parameter(SHOP_PAGE_SIZE)],
        responses=inline_serializer(
            "ShopPage",
            {
                "results": ShopFiguresSerializer(many=True),
                "next_cursor": serializers.CharField(allow_null=True),
                "next": serializers.URLField(allow_null=True),
            },
        ),
    )
    def get(self, request):
        size = page_size_of(request, default=SHOP_PAGE_SIZE)
        try:
            position = cursors.decode(SHOP_CURSOR, request.query_params.get("cursor"))
            before = int(position["before"]) if position is not None else None
        except (cursors.BadCursor, KeyError, TypeError, ValueError) as exc:
            raise bad_cursor() from exc
        posts = selectors.shop_of(seller=request.user, before=before, limit=size + 1)
        more = len(posts) > size
        posts = posts[:size]
        next_cursor = cursors.encode(SHOP_CURSOR, {"before": posts[-1].post_id}) if more else None
        return page_response(request, ShopFiguresSerializer(posts, many=True).data, next_cursor)
