"""API shapes for content. Output serializers read prefetched rows; inputs validate."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import User
from accounts.serializers import UserBriefSerializer

from .models import Channel, Comment, NotInterested, Post, Report, Tag
from .tagging import split_tag_input

_ENGINE = settings.ENGINE  # the defaults the API schema states

_DATETIME = serializers.DateTimeField()  # renders datetimes as every DRF field does

# The largest row id a database holds (64-bit); a larger number is bad input, not a 500.
ID_MAX = 2**63 - 1


class ChannelSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = Channel
        fields = ["slug", "name_zh", "name_en", "parent"]


class ChannelTreeSerializer(serializers.ModelSerializer):
    children = ChannelSerializer(many=True, read_only=True)

    class Meta:
        model = Channel
        fields = ["slug", "name_zh", "name_en", "children"]


class TagSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tag
        fields = ["name", "post_count"]


class ImageShape(serializers.Serializer):
    """A note's image as the API shows it (documents ``PostSerializer.images``)."""

    url = serializers.CharField()
    card = serializers.CharField(help_text="the image at card size (the image itself when small)")
    width = serializers.IntegerField(allow_null=True)
    height = serializers.IntegerField(allow_null=True)
    alt = serializers.CharField(
        help_text="what the image shows: the author's words, else \"图片 2/3：<title>\" "
        "(in the platform's language, as cards are cached for every reader)"
    )


class TagShape(serializers.Serializer):
    """A post's tag and how it came to be (documents ``PostSerializer.tags``)."""

    name = serializers.CharField()
    source = serializers.CharField(help_text="author, hashtag or extracted")


class CountsShape(serializers.Serializer):
    """A post's counts (documents ``PostSerializer.counts``: ``counts_of``)."""

    likes = serializers.IntegerField()
    favourites = serializers.IntegerField()
    comments = serializers.IntegerField()
    shares = serializers.IntegerField()
    views = serializers.IntegerField()


class ViewerShape(serializers.Serializer):
    """What the viewer did to a post (documents ``PostSerializer.viewer``: ``viewer_of``)."""

    liked = serializers.BooleanField()
    favourited = serializers.BooleanField()


class PlaceShape(serializers.Serializer):
    name = serializers.CharField()
    lat = serializers.FloatField(allow_null=True)
    lng = serializers.FloatField(allow_null=True)


class VideoShape(serializers.Serializer):
    url = serializers.CharField(allow_null=True)
    seconds = serializers.FloatField(allow_null=True)
    cover = serializers.CharField(allow_null=True)
    cover_card = serializers.CharField(
        allow_null=True, help_text="the cover at card size (the cover itself when small)"
    )


def author_brief(user: User, avatar_url: str | None) -> dict:
    """A post's author as cards show it (``UserBriefSerializer``'s fields)."""
    return {"username": user.username, "display_name": user.display_name, "avatar": avatar_url}


def counts_of(post: Post) -> dict:
    """A card's counts (also put together by ``content.cards`` for cached cards)."""
    return {
        "likes": post.like_count,
        "favourites": post.favourite_count,
        "comments": post.comment_count,
        "shares": post.share_count,
        "views": post.view_count,
    }


def viewer_of(post: Post, state) -> dict:
    """Whether the viewer liked and saved the post (``state``: a ``ViewerState`` or None)."""
    if state is None:
        return {"liked": False, "favourited": False}
    return {"liked": post.pk in state.liked, "favourited": post.pk in state.favourited}


def status_reason_for(post: Post, request) -> str:
    """Why a post is limited or removed: told to its author only."""
    if request and request.user.is_authenticated and request.user.pk == post.author_id:
        return post.status_reason
    return ""


def image_alt(image) -> str:
    """An image's alt text for the API: the generated one is in the platform's language
    (``LANGUAGE_CODE``), not the request's, because a card is cached for every reader."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(image.alt_text)


class PostSerializer(serializers.ModelSerializer):
    """A post as cards, detail pages and clients see it."""

    author = UserBriefSerializer(read_only=True)
    channel = ChannelSerializer(read_only=True)
    tags = serializers.SerializerMethodField()
    place = serializers.SerializerMethodField()
    images = serializers.SerializerMethodField()
    video = serializers.SerializerMethodField()
    counts = serializers.SerializerMethodField()
    viewer = serializers.SerializerMethodField()
    status_reason = serializers.SerializerMethodField()
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = Post
        fields = [
            "id",
            "kind",
            "title",
            "body",
            "author",
            "channel",
            "tags",
            "place",
            "images",
            "video",
            "status",
            "status_reason",
            "counts",
            "viewer",
            "created_at",
            "published_at",
            "web_url",
        ]

    def _url(self, file) -> str | None:
        if not file:
            return None
        request = self.context.get("request")
        return request.build_absolute_uri(file.url) if request else file.url

    def to_representation(self, obj) -> dict:
        """Build the post directly, in the declared fields' order and shapes.

        DRF's field-by-field walk (a dozen field objects a post, nested serializers for
        the author and the channel) cost ~0.6 ms a post, most of a feed page's rendering
        (measured by the benchmark); the declared fields above still describe the shape
        for the schema, and ``tests/content/test_post_serializer.py`` holds this to
        what DRF's walk gives.
        """
        author, channel = obj.author, obj.channel
        return {
            "id": obj.pk,
            "kind": obj.kind,
            "title": obj.title,
            "body": obj.body,
            "author": author_brief(author, self._url(author.avatar)),
            "channel": {
                "slug": channel.slug,
                "name_zh": channel.name_zh,
                "name_en": channel.name_en,
                "parent": channel.parent.slug if channel.parent_id else None,
            },
            "tags": self.get_tags(obj),
            "place": self.get_place(obj),
            "images": self.get_images(obj),
            "video": self.get_video(obj),
            "status": obj.status,
            "status_reason": self.get_status_reason(obj),
            "counts": counts_of(obj),
            "viewer": self.get_viewer(obj),
            "created_at": _DATETIME.to_representation(obj.created_at),
            "published_at": _DATETIME.to_representation(obj.published_at) if obj.published_at else None,
            "web_url": self.get_web_url(obj),
        }

    @extend_schema_field(TagShape(many=True))
    def get_tags(self, obj) -> list:
        return [{"name": pt.tag.name, "source": pt.source} for pt in obj.post_tags.all()]

    @extend_schema_field(PlaceShape(allow_null=True))
    def get_place(self, obj):
        if not obj.has_place:
            return None
        return {"name": obj.place_name, "lat": obj.lat, "lng": obj.lng}

    @extend_schema_field(ImageShape(many=True))
    def get_images(self, obj) -> list:
        return [
            {
                "url": self._url(img.image),
                "card": self._url(img.for_card),
                "width": img.width,
                "height": img.height,
                "alt": image_alt(img),
            }
            for img in obj.images.all()
        ]

    @extend_schema_field(VideoShape(allow_null=True))
    def get_video(self, obj):
        if obj.kind != Post.Kind.VIDEO:
            return None
        return {
            "url": self._url(obj.video),
            "seconds": obj.video_seconds,
            "cover": self._url(obj.cover),
            "cover_card": self._url(obj.cover_for_card),
        }

    @extend_schema_field(CountsShape)
    def get_counts(self, obj) -> dict:
        return counts_of(obj)

    @extend_schema_field(ViewerShape)
    def get_viewer(self, obj) -> dict:
        return viewer_of(obj, self.context.get("viewer_state"))

    def get_status_reason(self, obj) -> str:
        return status_reason_for(obj, self.context.get("request"))

    def get_web_url(self, obj) -> str:
        request = self.context.get("request")
        path = reverse("web:post-detail", args=[obj.pk])
        return request.build_absolute_uri(path) if request else path


@extend_schema_field({"type": "string", "maxLength": 40, "description": "a channel slug"})
class ChannelSlugField(serializers.SlugRelatedField):
    """A channel named by its slug (the schema states the slug's length)."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="slug", queryset=Channel.objects.all(), **kwargs)


@extend_schema_field({"type": "string", "maxLength": 150, "description": "a username"})
class UsernameRelatedField(serializers.SlugRelatedField):
    """An active account named by its username."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="username", queryset=User.objects.filter(is_active=True), **kwargs)


@extend_schema_field({"type": "string", "maxLength": 30, "description": "a tag's name"})
class TagNameField(serializers.SlugRelatedField):
    """A tag named by its name."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="name", queryset=Tag.objects.all(), **kwargs)


@extend_schema_field(
    {
        "type": "array",
        "items": {"type": "string", "maxLength": 30},
        "maxItems": settings.TAGS_PER_POST_MAX,
        "description": f"at most {settings.TAGS_PER_POST_MAX} tags (#hashtags in the text count too)",
    }
)
class TagListField(serializers.ListField):
    """A list of tags; also takes one string split on commas, spaces or '#'."""

    child = serializers.CharField(max_length=30)

    def to_internal_value(self, data):
        if isinstance(data, str):
            data = split_tag_input(data)
        elif isinstance(data, list) and len(data) == 1 and isinstance(data[0], str):
            data = split_tag_input(data[0])
        return super().to_internal_value(data)


class PostCreateSerializer(serializers.Serializer):
    """Publish a note (``images``: 1–9 files) or a video (``video`` [+ ``cover``])."""

    kind = serializers.ChoiceField(choices=Post.Kind.choices)
    title = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    body = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    channel = ChannelSlugField()
    tags = TagListField(required=False, default=list)
    place_name = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")
    lat = serializers.FloatField(required=False, allow_null=True, default=None, min_value=-90, max_value=90)
    lng = serializers.FloatField(
        required=False, allow_null=True, default=None, min_value=-180, max_value=180
    )
    images = serializers.ListField(
        child=serializers.FileField(allow_empty_file=False),
        required=False,
        default=list,
        max_length=settings.UPLOADS["NOTE_MAX_IMAGES"],
        help_text=f"a note's images, 1–{settings.UPLOADS['NOTE_MAX_IMAGES']}: PNG, JPEG or WebP, "
        f"each at most {settings.UPLOADS['IMAGE_MAX_BYTES'] // 2**20} MiB",
    )
    alts = serializers.ListField(
        child=serializers.CharField(max_length=200, allow_blank=True),
        required=False,
        default=list,
        max_length=settings.UPLOADS["NOTE_MAX_IMAGES"],
        help_text="each image's alt text (what it shows), in the order of `images`; "
        "missing or empty ones are generated",
    )
    video = serializers.FileField(
        required=False,
        allow_null=True,
        default=None,
        help_text=f"a video post's file, at most {settings.UPLOADS['VIDEO_MAX_BYTES'] // 2**20} MiB",
    )
    video_seconds = serializers.FloatField(required=False, allow_null=True, default=None, min_value=0)
    cover = serializers.FileField(
        required=False,
        allow_null=True,
        default=None,
        help_text=f"a video's cover image, at most {settings.UPLOADS['IMAGE_MAX_BYTES'] // 2**20} MiB",
    )


class PostUpdateSerializer(serializers.Serializer):
    """Edit a post's text, channel, tags or place (media cannot change)."""

    title = serializers.CharField(max_length=100, required=False, allow_blank=True)
    body = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    channel = ChannelSlugField(required=False)
    tags = TagListField(required=False)
    place_name = serializers.CharField(max_length=80, required=False, allow_blank=True)
    lat = serializers.FloatField(required=False, allow_null=True, min_value=-90, max_value=90)
    lng = serializers.FloatField(required=False, allow_null=True, min_value=-180, max_value=180)


class ReplyShape(serializers.Serializer):
    """A reply as listed under its comment (documents ``CommentSerializer.replies``)."""

    id = serializers.IntegerField()
    author = UserBriefSerializer()
    body = serializers.CharField()
    mentions = serializers.ListField(child=serializers.CharField())
    like_count = serializers.IntegerField()
    liked = serializers.BooleanField()
    created_at = serializers.DateTimeField()


class CommentSerializer(serializers.ModelSerializer):
    """A comment with its replies; ``mentions`` are the ``@username``s that name someone
    (others are plain text); ``liked`` says whether the viewer liked it (context
    ``liked_comments``, one query for the whole thread)."""

    author = UserBriefSerializer(read_only=True)
    mentions = serializers.ListField(child=serializers.CharField(), read_only=True)
    replies = serializers.SerializerMethodField()
    liked = serializers.SerializerMethodField()

    class Meta:
        model = Comment
        fields = ["id", "author", "body", "mentions", "parent", "like_count", "liked", "created_at", "replies"]

    def get_liked(self, obj) -> bool:
        return obj.pk in self.context.get("liked_comments", ())

    @extend_schema_field(ReplyShape(many=True))
    def get_replies(self, obj) -> list:
        if obj.parent_id is not None:
            return []
        return [
            {
                "id": r.id,
                "author": UserBriefSerializer(r.author, context=self.context).data,
                "body": r.body,
                "mentions": r.mentions,
                "like_count": r.like_count,
                "liked": self.get_liked(r),
                "created_at": r.created_at,
            }
            for r in obj.replies.all()
        ]


class CommentCreateSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=1000)
    parent = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1, max_value=ID_MAX)


class CollectedPostSerializer(serializers.Serializer):
    """A post in someone's 收藏 (saved) or 赞过 (liked) list, with when it went there."""

    post = PostSerializer(read_only=True)
    created_at = serializers.DateTimeField(read_only=True, help_text="when the post was saved or liked")


class ShareSerializer(serializers.Serializer):
    target = serializers.ChoiceField(
        choices=["link", "wechat", "moments", "weibo", "qq", "other"], default="link"
    )


class ReportSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=Report.Reason.choices)
    detail = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class NotInterestedSerializer(serializers.ModelSerializer):
    post = serializers.PrimaryKeyRelatedField(
        queryset=Post.objects.all(), required=False, allow_null=True
    )
    author = UsernameRelatedField(required=False, allow_null=True)
    tag = TagNameField(required=False, allow_null=True)

    class Meta:
        model = NotInterested
        fields = ["id", "kind", "post", "author", "tag", "created_at"]
        read_only_fields = ["id", "created_at"]
        validators = []

    def validate(self, attrs):
        kind = attrs["kind"]
        if not attrs.get(kind):
            raise serializers.ValidationError({kind: _("Say which {kind} you are not interested in.").format(kind=kind)})
        return attrs


class EventSerializer(serializers.Serializer):
    post = serializers.IntegerField(min_value=1, max_value=ID_MAX)
    seconds = serializers.FloatField(
        min_value=0, max_value=24 * 3600, required=False, allow_null=True,
        help_text=f"How long the post was on screen (a video: seconds watched). Under {_ENGINE['QUICK_SKIP_SECONDS']:g} s "
        f"(or {_ENGINE['QUICK_SKIP_FRACTION']:.0%} of the video) is a quick skip, from {_ENGINE['READ_SECONDS']:g} s "
        "a read (ENGINE QUICK_SKIP_SECONDS, QUICK_SKIP_FRACTION, READ_SECONDS).",
    )
    completed = serializers.BooleanField(default=False, help_text="A video watched to the end.")
    source = serializers.CharField(
        max_length=16, required=False, allow_blank=True, default="", help_text="Where the post was seen, e.g. detail."
    )


class EventBatchSerializer(serializers.Serializer):
    events = serializers.ListField(child=EventSerializer(), allow_empty=False, max_length=settings.EVENTS_BATCH_MAX)


class ToggleSerializer(serializers.Serializer):
    """The answer to like / favourite / report / share requests."""

    changed = serializers.BooleanField(help_text="False when nothing needed to change.")
    count = serializers.IntegerField(required=False)
