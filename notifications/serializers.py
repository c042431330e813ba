"""The notifications API's JSON shapes."""

from rest_framework import serializers

from accounts.serializers import UserBriefSerializer
from notifications.models import Category, Notification, NotificationSettings
from notifications.text import sentence, target_path


class NotificationDataSerializer(serializers.Serializer):
    """The facts a line was made from, each present only on the kinds that have it."""

    excerpt = serializers.CharField(required=False, help_text="the comment's opening words")
    tier = serializers.IntegerField(required=False, help_text="the pool tier a post reached")
    hot = serializers.BooleanField(required=False, help_text="the post entered the hot list")
    boost = serializers.IntegerField(required=False, help_text="the boost that ended")
    delivered = serializers.IntegerField(
        required=False, help_text="impressions the boost delivered"
    )
    refunded = serializers.IntegerField(required=False, help_text="credits refunded (分)")


class NotificationSerializer(serializers.ModelSerializer):
    """One line: ``text`` is the sentence shown ("alice 和其他 12 人赞了你的笔记"), ``detail``
    the words it quotes (a comment, a moderator's reason), ``read`` whether it was read."""

    actor = UserBriefSerializer(read_only=True, allow_null=True)
    text = serializers.SerializerMethodField()
    detail = serializers.CharField(source="text", read_only=True)
    data = NotificationDataSerializer(read_only=True)
    read = serializers.BooleanField(source="is_read", read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = [
            "id",
            "category",
            "verb",
            "text",
            "detail",
            "actor",
            "actor_count",
            "post",
            "comment",
            "data",
            "read",
            "url",
            "created_at",
            "updated_at",
        ]

    def get_text(self, obj) -> str:
        return sentence(obj)

    def get_url(self, obj) -> str:
        return target_path(obj)


class NotificationPageSerializer(serializers.Serializer):
    """One page in the API's page shape (config/pagination.py)."""

    results = NotificationSerializer(many=True)
    next_cursor = serializers.CharField(
        allow_null=True, help_text="pass as `cursor` for the next page; null on the last page"
    )
    next = serializers.URLField(
        allow_null=True, help_text="the next page's URL (the same cursor); null on the last page"
    )


class NotificationQuerySerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=Category.choices, required=False)


class MarkReadSerializer(serializers.Serializer):
    """Mark ``ids`` read (each must be yours), or with none every unread line (of ``category``)."""

    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        required=False,
        max_length=500,
    )
    category = serializers.ChoiceField(choices=Category.choices, required=False)


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField()


class UnreadSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    likes = serializers.IntegerField()
    follows = serializers.IntegerField()
    comments = serializers.IntegerField()
    system = serializers.IntegerField()


class NotificationSettingsSerializer(serializers.ModelSerializer):
    class Meta:
        model = NotificationSettings
        fields = ["mute_likes", "mute_follows", "mute_comments", "mute_system"]
