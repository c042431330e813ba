"""REST endpoints of notifications: the list, marking read, the unread counts, the mutes."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import permissions
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from config.pagination import (
    CURSOR_PARAMETER,
    bad_cursor,
    page_response,
    page_size_of,
    size_parameter,
)
from feeds.cursor import BadCursor
from notifications import selectors, services
from notifications.models import Notification
from notifications.serializers import (
    MarkedSerializer,
    MarkReadSerializer,
    NotificationPageSerializer,
    NotificationQuerySerializer,
    NotificationSerializer,
    NotificationSettingsSerializer,
    UnreadSerializer,
)


class NotificationListView(APIView):
    """The signed-in person's notifications, newest activity first; ``category`` is one
    tab (likes 赞和收藏, follows 新增关注, comments 评论和@, system), ``cursor`` the next page."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[
            NotificationQuerySerializer,
            CURSOR_PARAMETER,
            size_parameter(selectors.PAGE_SIZE),
        ],
        responses=NotificationPageSerializer,
    )
    def get(self, request):
        query = NotificationQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        size = page_size_of(request, default=selectors.PAGE_SIZE)
        try:
            page = selectors.notifications_page(
                user=request.user,
                cursor=request.query_params.get("cursor"),
                size=size,
                **query.validated_data,
            )
        except BadCursor as exc:
            raise bad_cursor() from exc
        items = NotificationSerializer(page.items, many=True, context={"request": request}).data
        return page_response(request, items, page.next_cursor)


class MarkReadView(APIView):
    """Mark notifications read: ``ids`` (a 404 if one is not yours; nothing changes), or
    every unread one (in ``category``)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=MarkReadSerializer, responses=MarkedSerializer)
    def post(self, request):
        data = MarkReadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            marked = services.notifications_mark_read(user=request.user, **data.validated_data)
        except Notification.DoesNotExist as exc:
            raise NotFound("没有这条通知。") from exc
        return Response({"marked": marked})


class MarkOneReadView(APIView):
    """Mark one notification read (a 404 if it is not yours)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(operation_id="notification_read_one", request=None, responses=MarkedSerializer)
    def post(self, request, pk):
        get_object_or_404(Notification, pk=pk, recipient=request.user)
        return Response({"marked": services.notifications_mark_read(user=request.user, ids=[pk])})


class UnreadView(APIView):
    """Unread lines per category and in all (what the 消息 badge shows); served from
    Redis, one grouped count when it has to be recounted."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=UnreadSerializer)
    def get(self, request):
        return Response(selectors.unread_counts(user=request.user))


class NotificationSettingsView(APIView):
    """The signed-in person's mute switches, one per category (a muted category creates nothing)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=NotificationSettingsSerializer)
    def get(self, request):
        return Response(
            NotificationSettingsSerializer(
                selectors.notification_settings_of(user=request.user)
            ).data
        )

    @extend_schema(request=NotificationSettingsSerializer, responses=NotificationSettingsSerializer)
    def patch(self, request):
        data = NotificationSettingsSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        row = services.notification_settings_update(user=request.user, **data.validated_data)
        return Response(NotificationSettingsSerializer(row).data)
