"""The notifications API's JSON shapes."""

from rest_framework import serializers

from accounts.serializers import UserBriefSerializer
from notifications.models import Category, Notification, NotificationSettings
from notifications.text import sentence, target_path


class NotificationSerializer(serializers.ModelSerializer):
    """One line: ``text`` is the sentence shown ("alice 和其他 12 人赞了你的笔记"), ``detail``
    the words it quotes (a comment, a moderator's reason), ``read`` whether it was read."""

    actor = UserBriefSerializer(read_only=True, allow_null=True)
    text = serializers.SerializerMethodField()
    detail = serializers.CharField(source="text", read_only=True)
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
    results = NotificationSerializer(many=True)
    next = serializers.CharField(
        allow_null=True, help_text="the cursor of the next page (null: the last)"
    )


class NotificationQuerySerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=Category.choices, required=False)
    cursor = serializers.CharField(required=False, max_length=2000)


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
