"""Content: channels, tags, posts with their media, and every interaction on them.

Two kinds of interaction rows:
- *state* rows that are one per user and post (``Like``, ``Favourite``, ``Report``,
  ``NotInterested``, ``Share``, ``PostView``), unique in the database;
- *events* (``Event``), appended and never updated: impressions, views and watches,
  likes, shares, comments … The engine reads them.
The counters on ``Post`` are denormalised from those rows by the services in the same
transaction, with ``F()`` updates, so concurrent requests cannot lose an increment. A
person counts once per post (docs/engagement.md): the share and view counters count
``Share`` and ``PostView`` rows, not events; a burst of events from one account or one
address (``EngagementBurst``) is kept but left out of the traffic pools.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Channel(models.Model):
    """A channel of the 发现 page; ``parent`` makes the tree (美妆 > 护肤 / 彩妆)."""

    slug = models.SlugField(max_length=40, unique=True, verbose_name=_("slug"))
    name_zh = models.CharField(max_length=20, verbose_name=_("Chinese name"))
    name_en = models.CharField(max_length=40, verbose_name=_("English name"))
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("parent channel")
    )
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("position"))

    class Meta:
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.name_zh} / {self.name_en}"


class Tag(models.Model):
    """A topic (#话题); names are stored normalised (stripped, lower-case Latin)."""

    name = models.CharField(max_length=30, unique=True, verbose_name=_("name"))
    post_count = models.PositiveIntegerField(default=0, verbose_name=_("post count"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["-post_count", "name"]

    def __str__(self) -> str:
        return f"#{self.name}"


class Post(models.Model):
    """A note (图文: text plus 1–9 images) or a video, by one author, in one channel."""

    class Kind(models.TextChoices):
        NOTE = "note", pgettext_lazy("post kind", "Note")
        VIDEO = "video", _("Video")

    class Status(models.TextChoices):
        PUBLISHED = "published", _("Published")
        PENDING = "pending", _("Pending review")
        LIMITED = "limited", _("Limited")
        REMOVED = "removed", pgettext_lazy("post status", "Removed")

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="posts", verbose_name=_("author")
    )
    kind = models.CharField(max_length=8, choices=Kind.choices, verbose_name=_("kind"))
    title = models.CharField(max_length=100, blank=True, verbose_name=_("title"))
    body = models.TextField(max_length=5000, blank=True, verbose_name=_("body"))
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="posts", verbose_name=_("channel"))
    tags = models.ManyToManyField(Tag, through="PostTag", related_name="posts", verbose_name=_("tags"))
    place_name = models.CharField(max_length=80, blank=True, verbose_name=_("place"))
    lat = models.FloatField(
        null=True, blank=True, validators=[MinValueValidator(-90), MaxValueValidator(90)], verbose_name=_("latitude")
    )
    lng = models.FloatField(
        null=True, blank=True, validators=[MinValueValidator(-180), MaxValueValidator(180)], verbose_name=_("longitude")
    )
    video = models.FileField(upload_to="videos/%Y/%m/", blank=True, verbose_name=_("video"))
    video_seconds = models.FloatField(null=True, blank=True, verbose_name=_("video length (seconds)"))
    cover = models.ImageField(upload_to="covers/%Y/%m/", blank=True, verbose_name=_("cover"))
    # The cover at card size (config/uploads.py); empty when the cover is that small.
    cover_card = models.ImageField(upload_to="cards/%Y/%m/", blank=True, verbose_name=_("cover at card size"))
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PUBLISHED, db_index=True, verbose_name=_("status")
    )
    status_reason = models.CharField(max_length=300, blank=True, verbose_name=_("status reason"))
    created_at = models.DateTimeField(default=timezone.now, db_index=True, verbose_name=_("created at"))
    published_at = models.DateTimeField(null=True, blank=True, db_index=True, verbose_name=_("published at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    like_count = models.PositiveIntegerField(default=0, verbose_name=_("like count"))
    favourite_count = models.PositiveIntegerField(default=0, verbose_name=_("save count"))
    comment_count = models.PositiveIntegerField(default=0, verbose_name=_("comment count"))
    share_count = models.PositiveIntegerField(default=0, verbose_name=_("share count"))
    view_count = models.PositiveIntegerField(default=0, verbose_name=_("view count"))
    report_count = models.PositiveIntegerField(default=0, verbose_name=_("report count"))

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        constraints = [
            models.CheckConstraint(
                condition=(Q(lat__isnull=True) & Q(lng__isnull=True))
                | (Q(lat__isnull=False) & Q(lng__isnull=False)),
                name="post_lat_lng_together",
            )
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"]),
            models.Index(fields=["author", "-created_at"]),
            models.Index(fields=["channel", "status", "-published_at"]),
        ]

    def __str__(self) -> str:
        return self.title or f"post {self.pk}"

    @property
    def has_place(self) -> bool:
        return self.lat is not None and self.lng is not None

    @property
    def cover_for_card(self):
        """Return the cover's card rendition, or the cover itself when it has none."""
        return self.cover_card or self.cover


class PostTag(models.Model):
    """A tag on a post, saying whether the author gave it or the text yielded it."""

    class Source(models.TextChoices):
        AUTHOR = "author", pgettext_lazy("tag source", "Author")
        EXTRACTED = "extracted", _("Extracted from text")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="post_tags", verbose_name=_("post"))
    # (Indexed with the post id below: a tag's newest posts are one index range.)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="post_tags", db_index=False, verbose_name=_("tag"))
    source = models.CharField(max_length=10, choices=Source.choices, verbose_name=_("source"))

    class Meta:
        verbose_name = _("post tag")
        verbose_name_plural = _("post tags")
        constraints = [models.UniqueConstraint(fields=["post", "tag"], name="post_tag_unique")]
        indexes = [models.Index(fields=["tag", "post"], name="posttag_tag_post")]

    def __str__(self) -> str:
        return str(self.tag)


class PostImage(models.Model):
    """One image of a note, in order."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="images", verbose_name=_("post"))
    image = models.ImageField(upload_to="images/%Y/%m/", width_field="width", height_field="height", verbose_name=_("image"))
    width = models.PositiveIntegerField(default=0, verbose_name=_("width"))
    height = models.PositiveIntegerField(default=0, verbose_name=_("height"))
    # The image at card size (config/uploads.py); empty when the image is that small.
    card = models.ImageField(upload_to="cards/%Y/%m/", blank=True, verbose_name=_("image at card size"))
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("position"))
    # What the image shows, in the author's words, read aloud by screen readers; empty
    # when they wrote none (``alt_text`` then says which photo of which post it is).
    alt = models.CharField(max_length=200, blank=True, verbose_name=_("alt text"))

    class Meta:
        verbose_name = _("post image")
        verbose_name_plural = _("post images")
        ordering = ["position", "id"]

    @property
    def alt_text(self) -> str:
        """The image's alt text: the author's, or "Photo 2/3: <title>" made at render time
        (so it follows the reader's language). Reads the post's prefetched images."""
        if self.alt:
            return self.alt
        post = self.post
        about = post.title or Truncator(post.body).chars(40)
        images = list(post.images.all())
        if len(images) <= 1:
            return _("Photo: {about}").format(about=about)
        number = images.index(self) + 1 if self in images else self.position + 1
        return _("Photo {number}/{total}: {about}").format(number=number, total=len(images), about=about)

    @property
    def for_card(self):
        """Return the card rendition, or the image itself when it has none."""
        return self.card or self.image


class Comment(models.Model):
    """A comment on a post; ``parent`` allows one level of replies (a comment and its
    replies, as 小红书 shows them: a reply to a reply joins the same thread).

    ``mentions`` holds the usernames of the ``@username`` mentions in ``body`` that named
    a person when the comment was written (``content.mentions``): they render as links,
    other ``@words`` stay plain text. ``like_count`` counts its ``CommentLike`` rows.
    """

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments", verbose_name=_("post"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comments", verbose_name=_("author")
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies", verbose_name=_("reply to")
    )
    body = models.TextField(max_length=1000, verbose_name=_("body"))
    mentions = models.JSONField(default=list, blank=True, verbose_name=_("mentions"))
    like_count = models.PositiveIntegerField(default=0, verbose_name=_("like count"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["post", "created_at"])]

    def __str__(self) -> str:
        return self.body[:40]


class CommentLike(models.Model):
    """A like on a comment, once per person."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="likes")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "comment"], name="comment_like_unique")]


class Like(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user"))
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="likes", verbose_name=_("post"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("like")
        verbose_name_plural = _("likes")
        constraints = [models.UniqueConstraint(fields=["user", "post"], name="like_unique")]


class Favourite(models.Model):
    """收藏: a post saved by a user."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user"))
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="favourites", verbose_name=_("post"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("favourite")
        verbose_name_plural = _("favourites")
        constraints = [models.UniqueConstraint(fields=["user", "post"], name="favourite_unique")]


class Share(models.Model):
    """A post shared by a user, once: the share counter counts these rows, while every
    share stays an ``Event`` for analytics."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="shares")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "post"], name="share_unique")]


class PostView(models.Model):
    """A person's first view of a post: the view counter counts these rows, while every
    view stays an ``Event`` for analytics."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="viewers")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "post"], name="post_view_unique")]


class Report(models.Model):
    """A user's report of a post, with a reason; one per user and post."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam / ads")
        ABUSE = "abuse", _("Harassment or hate")
        SEXUAL = "sexual", _("Sexual content")
        VIOLENCE = "violence", _("Violence")
        MISINFO = "misinfo", _("False information")
        COPYRIGHT = "copyright", _("Copied from someone else")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("report status", "Open")
        ACCEPTED = "accepted", _("Accepted (action taken)")
        DISMISSED = "dismissed", _("Dismissed")

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports_made", verbose_name=_("reporter")
    )
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports", verbose_name=_("post"))
    reason = models.CharField(max_length=12, choices=Reason.choices, verbose_name=_("reason"))
    detail = models.CharField(max_length=500, blank=True, verbose_name=_("detail"))
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True, verbose_name=_("status")
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))
    resolved_at = models.DateTimeField(null=True, blank=True, verbose_name=_("resolved at"))

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [models.UniqueConstraint(fields=["reporter", "post"], name="report_unique")]


class NotInterested(models.Model):
    """"Not interested" in a post, an author or a tag; exactly one target is set."""

    class Kind(models.TextChoices):
        POST = "post", pgettext_lazy("not interested in", "Post")
        AUTHOR = "author", pgettext_lazy("not interested in", "Author")
        TAG = "tag", pgettext_lazy("not interested in", "Tag")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="not_interested", verbose_name=_("user")
    )
    kind = models.CharField(max_length=8, choices=Kind.choices, verbose_name=_("kind"))
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("post"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("author")
    )
    tag = models.ForeignKey(Tag, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("tag"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("not-interested choice")
        verbose_name_plural = _("not-interested choices")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="post", post__isnull=False, author__isnull=True, tag__isnull=True))
                | (Q(kind="author", post__isnull=True, author__isnull=False, tag__isnull=True))
                | (Q(kind="tag", post__isnull=True, author__isnull=True, tag__isnull=False)),
                name="not_interested_one_target",
            ),
            models.UniqueConstraint(
                fields=["user", "post"], condition=Q(kind="post"), name="ni_post_unique"
            ),
            models.UniqueConstraint(
                fields=["user", "author"], condition=Q(kind="author"), name="ni_author_unique"
            ),
            models.UniqueConstraint(
                fields=["user", "tag"], condition=Q(kind="tag"), name="ni_tag_unique"
            ),
        ]


class EngagementBurst(models.Model):
    """Many events from one account, or one client address, in a short window
    (``ENGAGEMENT_BURST_*``): its events are kept, marked with it, and left out of the
    traffic pools; moderators see it in the admin. Exactly one of user and address is set.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("account")
    )
    address = models.GenericIPAddressField(null=True, blank=True, verbose_name=_("IP address"))
    started_at = models.DateTimeField(db_index=True, verbose_name=_("started at"))
    last_event_at = models.DateTimeField(verbose_name=_("last event at"))
    events = models.PositiveIntegerField(default=0, help_text=_("events marked with this burst"), verbose_name=_("event count"))
    accounts = models.PositiveIntegerField(default=0, help_text=_("accounts behind those events"), verbose_name=_("account count"))
    posts = models.PositiveIntegerField(default=0, help_text=_("posts those events were on"), verbose_name=_("post count"))

    class Meta:
        verbose_name = _("engagement burst")
        verbose_name_plural = _("engagement bursts")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(user__isnull=False) & Q(address__isnull=True))
                | (Q(user__isnull=True) & Q(address__isnull=False)),
                name="burst_one_source",
            )
        ]
        indexes = [
            models.Index(fields=["user", "-last_event_at"], name="burst_user_last"),
            models.Index(fields=["address", "-last_event_at"], name="burst_address_last"),
        ]

    def __str__(self) -> str:
        who = f"account {self.user_id}" if self.user_id else f"address {self.address}"
        return f"burst of {self.events} events from {who}"


class Event(models.Model):
    """An append-only interaction event; the engine's raw signal.

    ``seconds`` and ``completed`` are set for views / watches; ``source`` names the feed
    that showed the post (discover, follow, nearby, channel, hot, profile, detail …);
    ``burst`` marks an event that came in a burst (left out of the traffic pools).
    """

    class Kind(models.TextChoices):
        IMPRESSION = "impression", pgettext_lazy("event kind", "Impression")
        VIEW = "view", pgettext_lazy("event kind", "View / watch")
        LIKE = "like", pgettext_lazy("event kind", "Like")
        UNLIKE = "unlike", pgettext_lazy("event kind", "Unlike")
        FAVOURITE = "favourite", pgettext_lazy("event kind", "Favourite")
        UNFAVOURITE = "unfavourite", pgettext_lazy("event kind", "Unfavourite")
        SHARE = "share", pgettext_lazy("event kind", "Share")
        COMMENT = "comment", pgettext_lazy("event kind", "Comment")
        REPORT = "report", pgettext_lazy("event kind", "Report")
        NOT_INTERESTED = "not_interested", pgettext_lazy("event kind", "Not interested")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("user")
    )
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="events", verbose_name=_("post"))
    kind = models.CharField(max_length=16, choices=Kind.choices, verbose_name=_("kind"))
    seconds = models.FloatField(null=True, blank=True, verbose_name=_("seconds"))
    completed = models.BooleanField(default=False, verbose_name=_("completed"))
    source = models.CharField(max_length=16, blank=True, verbose_name=_("source"))
    created_at = models.DateTimeField(default=timezone.now, db_index=True, verbose_name=_("created at"))
    # Indexed only where set (below): a small index, for a burst's events.
    burst = models.ForeignKey(
        EngagementBurst, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False, verbose_name=_("burst")
    )

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [
            models.Index(fields=["post", "kind", "created_at"]),
            models.Index(fields=["user", "created_at"]),
            models.Index(fields=["burst"], condition=Q(burst__isnull=False), name="event_burst"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} u{self.user_id} p{self.post_id}"


class ReviewRequest(models.Model):
    """A post waiting for a moderator: flagged by quality rules, reports, or policy."""

    class Source(models.TextChoices):
        QUALITY = "quality", _("Quality rules")
        REPORTS = "reports", _("Report threshold")
        POLICY = "policy", _("Pending by policy")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="review_requests", verbose_name=_("post"))
    source = models.CharField(max_length=10, choices=Source.choices, verbose_name=_("source"))
    reason = models.CharField(max_length=300, verbose_name=_("reason"))
    created_at = models.DateTimeField(default=timezone.now, db_index=True, verbose_name=_("created at"))
    resolved_at = models.DateTimeField(null=True, blank=True, verbose_name=_("resolved at"))

    class Meta:
        verbose_name = _("review request")
        verbose_name_plural = _("review requests")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "source"],
                condition=Q(resolved_at__isnull=True),
                name="review_request_open_unique",
            )
        ]

    def __str__(self) -> str:
        return f"review post {self.post_id} ({self.source})"
