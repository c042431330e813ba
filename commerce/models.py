"""Interest commerce (兴趣电商): shops, products on posts, what people did with them, orders.

Prices are whole 分, as the wallet counts credits (``boosts.models.Wallet``). A product
belongs to one post (a note or a video) and its seller, the post's author, who needs a
``Shop`` (granted in the admin). Impressions and clicks are ``ProductEvent`` rows, one per
person, product and kind; orders are ``Order`` rows, paid from the wallet through its
ledger. Conversion counts people: those who ordered over those who saw.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Shop(models.Model):
    """The right to sell: granted to an account in the admin, withdrawn by deactivating."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="shop", verbose_name=_("user")
    )
    name = models.CharField(max_length=40, blank=True, verbose_name=_("name"))
    active = models.BooleanField(default=True, verbose_name=_("active"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("granted by")
    )
    granted_at = models.DateTimeField(default=timezone.now, verbose_name=_("granted at"))

    class Meta:
        verbose_name = _("shop")
        verbose_name_plural = _("shops")

    def __str__(self) -> str:
        return self.name or f"shop of {self.user_id}"


class Product(models.Model):
    """One product on one post: a card with a price, stock and a way to buy it."""

    class Checkout(models.TextChoices):
        IN_APP = "in_app", _("In-app order")
        EXTERNAL = "external", _("External link")

    class Status(models.TextChoices):
        LIVE = "live", _("On sale")
        REMOVED = "removed", _("Removed by moderation")

    seller = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="products", verbose_name=_("seller")
    )
    post = models.ForeignKey("content.Post", on_delete=models.CASCADE, related_name="products", verbose_name=_("post"))
    title = models.CharField(max_length=60, verbose_name=_("title"))
    price = models.PositiveIntegerField(help_text=_("whole 分 (0.01 yuan)"), verbose_name=_("price"))
    image_url = models.URLField(max_length=300, blank=True, verbose_name=_("image URL"))
    stock = models.PositiveIntegerField(default=0, verbose_name=_("stock"))
    channel = models.ForeignKey("content.Channel", on_delete=models.PROTECT, related_name="+", verbose_name=_("channel"))
    checkout = models.CharField(max_length=8, choices=Checkout.choices, default=Checkout.IN_APP, verbose_name=_("checkout"))
    external_url = models.URLField(max_length=300, blank=True, verbose_name=_("external link"))
    status = models.CharField(
        max_length=8, choices=Status.choices, default=Status.LIVE, db_index=True, verbose_name=_("status")
    )
    status_reason = models.CharField(max_length=300, blank=True, verbose_name=_("status reason"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["post_id", "id"]
        indexes = [models.Index(fields=["post", "status"])]
        constraints = [
            models.CheckConstraint(condition=Q(stock__gte=0), name="product_stock_not_negative"),
            models.CheckConstraint(condition=Q(price__gt=0), name="product_price_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.title} (¥{self.price / 100:.2f})"

    @property
    def price_yuan(self) -> str:
        return f"{self.price / 100:.2f}"

    @property
    def is_live(self) -> bool:
        return self.status == self.Status.LIVE


class ProductEvent(models.Model):
    """A person saw a product card (impression) or opened it (click): once per person."""

    class Kind(models.TextChoices):
        IMPRESSION = "impression", _("Card shown")
        CLICK = "click", _("Card opened")

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="events", verbose_name=_("product"))
    post = models.ForeignKey("content.Post", on_delete=models.CASCADE, related_name="+", verbose_name=_("post"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user"))
    kind = models.CharField(max_length=10, choices=Kind.choices, verbose_name=_("kind"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("product event")
        verbose_name_plural = _("product events")
        constraints = [
            models.UniqueConstraint(fields=["product", "user", "kind"], name="product_event_once")
        ]
        indexes = [models.Index(fields=["post", "kind", "created_at"])]


class Order(models.Model):
    """A simulated checkout: paid from the buyer's wallet, refunded on cancel."""

    class Status(models.TextChoices):
        PAID = "paid", _("Paid")
        CANCELLED = "cancelled", _("Cancelled and refunded")

    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="orders", verbose_name=_("buyer")
    )
    product = models.ForeignKey(
        Product, null=True, on_delete=models.SET_NULL, related_name="orders", verbose_name=_("product")
    )
    post = models.ForeignKey("content.Post", null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("post"))
    seller = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="sales", verbose_name=_("seller")
    )
    product_title = models.CharField(max_length=60, help_text=_("kept if the product goes"), verbose_name=_("product title"))
    quantity = models.PositiveIntegerField(verbose_name=_("quantity"))
    unit_price = models.PositiveIntegerField(verbose_name=_("unit price"))
    amount = models.PositiveBigIntegerField(help_text=_("whole 分 charged"), verbose_name=_("amount"))
    key = models.CharField(max_length=64, help_text=_("the client's idempotency key"), verbose_name=_("idempotency key"))
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PAID, db_index=True, verbose_name=_("status")
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True, verbose_name=_("created at"))
    cancelled_at = models.DateTimeField(null=True, blank=True, verbose_name=_("cancelled at"))

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["buyer", "key"], name="order_key_once"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="order_quantity_positive"),
        ]
        indexes = [
            models.Index(fields=["post", "status", "created_at"]),
            models.Index(fields=["product", "status"]),
        ]

    def __str__(self) -> str:
        return f"order {self.pk}: {self.quantity} × {self.product_title}"
