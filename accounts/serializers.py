"""API shapes for people. Input serializers validate; services write."""

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import serializers

from .models import Block, Follow, InterestPick, User
from .services import PROFILE_FIELDS
from .usernames import username_clean


class UserBriefSerializer(serializers.ModelSerializer):
    """The few fields a card or list shows about a person."""

    class Meta:
        model = User
        fields = ["username", "display_name", "avatar"]
        read_only_fields = fields


class ProfileSerializer(serializers.ModelSerializer):
    """A public profile, with counts and whether the viewer follows it."""

    is_following = serializers.SerializerMethodField()
    received_total = serializers.IntegerField(
        read_only=True, help_text="获赞与收藏: likes and saves received on the person's public posts"
    )

    class Meta:
        model = User
        fields = [
            "username",
            "display_name",
            "bio",
            "avatar",
            "language",
            "region",
            "home_place",
            "follower_count",
            "following_count",
            "post_count",
            "received_total",
            "collections_public",
            "date_joined",
            "is_following",
        ]
        read_only_fields = fields

    def get_is_following(self, obj) -> bool:
        return obj.pk in self.context.get("following_ids", set())


class MeSerializer(serializers.ModelSerializer):
    """The signed-in user's own profile, editable with JSON (the avatar: ``AvatarSerializer``)."""

    interests = serializers.SerializerMethodField()
    onboarded = serializers.SerializerMethodField()
    email = serializers.CharField(read_only=True, help_text="the e-mail address given, or empty")

    class Meta:
        model = User
        fields = [
            "username",
            "email",
            *PROFILE_FIELDS,
            "follower_count",
            "following_count",
            "post_count",
            "onboarded",
            "interests",
        ]
        read_only_fields = [
            "username",
            "email",
            "avatar",  # a file: PUT me/avatar/ (multipart) sets it
            "follower_count",
            "following_count",
            "post_count",
            "onboarded",
            "interests",
        ]

    def get_interests(self, obj) -> list[str]:
        return [p.channel.slug for p in obj.interest_picks.select_related("channel")]

    def get_onboarded(self, obj) -> bool:
        return obj.onboarded_at is not None

    def validate(self, attrs):
        if ("home_lat" in attrs) != ("home_lng" in attrs):
            raise serializers.ValidationError(
                {"home_lat": _("Give home_lat and home_lng together (both null to clear).")}
            )
        return attrs


class UsernameField(serializers.RegexField):
    """A username, cleaned (invisible characters out, NFKC) before its pattern is checked."""

    def to_internal_value(self, data):
        return username_clean(super().to_internal_value(data))


class SignupSerializer(serializers.Serializer):
    username = UsernameField(
        r"^[\w.@+-]{3,30}$",
        max_length=30,
        error_messages={"invalid": "Use 3–30 letters, digits or . @ + - _."},
    )
    password = serializers.CharField(
        write_only=True, min_length=8, max_length=128, style={"input_type": "password"}
    )
    # No default: an empty default fails its own `format: email` in the schema.
    email = serializers.EmailField(required=False, allow_blank=True, max_length=254)
    display_name = serializers.CharField(required=False, allow_blank=True, max_length=40, default="")
    language = serializers.ChoiceField(choices=User.Language.choices, default=User.Language.ZH)

    def validate(self, attrs):
        candidate = User(username=attrs.get("username", ""), email=attrs.get("email", ""),
                         display_name=attrs.get("display_name", ""))
        try:
            validate_password(attrs["password"], user=candidate)
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"password": exc.messages}) from None
        return attrs


class InterestsSerializer(serializers.Serializer):
    channels = serializers.ListField(
        child=serializers.SlugField(max_length=40), max_length=100, help_text="channel slugs"
    )

    def validate_channels(self, value):
        """Return the channels named, in order; refuse unknown slugs and too few picks."""
        by_slug = {c.slug: c for c in InterestPick.channel.field.related_model.objects.filter(slug__in=value)}
        unknown = [slug for slug in value if slug not in by_slug]
        if unknown:
            raise serializers.ValidationError(_("Unknown channels: {names}.").format(names=", ".join(unknown)))
        minimum = settings.ONBOARDING_MIN_CHANNELS
        if len(set(value)) < minimum:
            raise serializers.ValidationError(_("Pick at least {minimum} channels you like.").format(minimum=minimum))
        return [by_slug[slug] for slug in value]


class AvatarSerializer(serializers.Serializer):
    avatar = serializers.FileField(
        help_text=f"a PNG, JPEG or WebP image of at most {settings.UPLOADS['AVATAR_MAX_BYTES'] // 2**20} MiB, "
        "stored re-encoded as a square"
    )


class FollowerRowSerializer(serializers.ModelSerializer):
    user = UserBriefSerializer(source="follower")

    class Meta:
        model = Follow
        fields = ["user", "created_at"]


class FollowingRowSerializer(serializers.ModelSerializer):
    user = UserBriefSerializer(source="followee")

    class Meta:
        model = Follow
        fields = ["user", "created_at"]


class BlockRowSerializer(serializers.ModelSerializer):
    user = UserBriefSerializer(source="blocked", read_only=True)

    class Meta:
        model = Block
        fields = ["user", "created_at"]


class RelationSerializer(serializers.Serializer):
    """The answer to a follow / block request."""

    changed = serializers.BooleanField(help_text="False when nothing needed to change.")
    following = serializers.BooleanField(required=False)
    blocked = serializers.BooleanField(required=False)
    follower_count = serializers.IntegerField(required=False)
