"""REST endpoints for people: sign-up, tokens, me, interests, profiles, follows, blocks."""

from django.contrib.auth import logout
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, generics, permissions, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from config.request_guards import MultiPartParser

from . import events, selectors, services
from .backends import banned_message
from .forms import banned_user
from .models import Block, User
from .serializers import (
    AvatarSerializer,
    BlockRowSerializer,
    FollowerRowSerializer,
    FollowingRowSerializer,
    InterestsSerializer,
    MeSerializer,
    ProfileSerializer,
    RelationSerializer,
    SignupSerializer,
)

TokenResponse = inline_serializer(
    "TokenResponse", {"token": serializers.CharField(), "username": serializers.CharField()}
)


class SignupView(APIView):
    """Create an account and return its API token. Onboarding (interests) comes next."""

    permission_classes = [permissions.AllowAny]
    throttle_scope = "auth"

    @extend_schema(request=SignupSerializer, responses={201: TokenResponse})
    def post(self, request):
        data = SignupSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.user_signup(**data.validated_data)
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key, "username": user.username}, status=201)


def _plain_text(value) -> str:
    """Return ``value`` when it is text a database can hold, else "" (input the
    serializer refused: a number, a list, or a NUL byte, which PostgreSQL rejects)."""
    return value if isinstance(value, str) and "\x00" not in value else ""


class TokenSerializer(AuthTokenSerializer):
    """DRF's username-and-password check, with the limits the schema states."""

    username = serializers.CharField(max_length=150, write_only=True)
    password = serializers.CharField(max_length=128, write_only=True, style={"input_type": "password"}, trim_whitespace=False)


class TokenView(ObtainAuthToken):
    """Exchange a username and password for the account's API token."""

    throttle_scope = "auth"
    throttle_classes = api_settings.DEFAULT_THROTTLE_CLASSES
    permission_classes = [permissions.AllowAny]
    serializer_class = TokenSerializer
    # ObtainAuthToken names DRF's own parsers and renderers; ours are JSON only and refuse
    # deep nesting and NUL.
    parser_classes = api_settings.DEFAULT_PARSER_CLASSES
    renderer_classes = api_settings.DEFAULT_RENDERER_CLASSES

    @extend_schema(request=TokenSerializer, responses={200: TokenResponse})
    def post(self, request, *args, **kwargs):
        serializer = self.serializer_class(data=request.data, context={"request": request})
        if not serializer.is_valid():
            data = request.data if hasattr(request.data, "get") else {}  # a JSON list, say
            banned = banned_user(_plain_text(data.get("username")), _plain_text(data.get("password")))
            if banned is not None:
                raise exceptions.AuthenticationFailed(banned_message(banned))
            serializer.is_valid(raise_exception=True)
        token, _ = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key, "username": token.user.username})


class LogoutView(APIView):
    """Revoke the caller's API token and end their session."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        Token.objects.filter(user=request.user).delete()
        logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(generics.GenericAPIView):
    """Read or edit the signed-in user's profile (avatar by multipart upload)."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = MeSerializer

    def get(self, request):
        return Response(MeSerializer(request.user, context={"request": request}).data)

    def patch(self, request):
        data = MeSerializer(request.user, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        user = services.profile_update(user=request.user, **data.validated_data)
        return Response(MeSerializer(user, context={"request": request}).data)


class AvatarView(generics.GenericAPIView):
    """Set the signed-in user's avatar (the one file of a profile: multipart)."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = AvatarSerializer
    parser_classes = [MultiPartParser]

    def get_object(self):
        """The signed-in user, whose avatar this sets (OPTIONS asks for it: bin/fuzz)."""
        return self.request.user

    @extend_schema(request=AvatarSerializer, responses=MeSerializer)
    def put(self, request):
        data = AvatarSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.profile_update(user=request.user, avatar=data.validated_data["avatar"])
        return Response(MeSerializer(user, context={"request": request}).data)


class InterestsView(generics.GenericAPIView):
    """Read or set the channels picked at onboarding (at least three)."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = InterestsSerializer

    def get_object(self):
        """The signed-in user, whose picks this edits (OPTIONS asks for it)."""
        return self.request.user

    def get(self, request):
        picks = request.user.interest_picks.select_related("channel").order_by("id")
        return Response({"channels": [p.channel.slug for p in picks]})

    def put(self, request):
        data = InterestsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        picked = services.interests_set(user=request.user, channels=data.validated_data["channels"])
        return Response({"channels": [c.slug for c in picked]})


def _active_user(username: str) -> User:
    return get_object_or_404(User, username=username, is_active=True)


BLOCKED_PROFILE = "你们之间有一方拉黑了对方，无法查看这个账号。"


def _visible_user(request, username: str) -> User:
    """Return the active user, refusing (403) when a block stands between them and the
    caller: the web profile page refuses the same way."""
    user = _active_user(username)
    if selectors.is_blocked_between(viewer=request.user, user=user):
        raise exceptions.PermissionDenied(BLOCKED_PROFILE)
    return user


class ProfileView(generics.RetrieveAPIView):
    """A public profile."""

    serializer_class = ProfileSerializer
    permission_classes = [permissions.AllowAny]

    def get(self, request, username):
        user = _visible_user(request, username)
        following = {user.pk} if selectors.is_following(follower=request.user, followee=user) else set()
        # 获赞与收藏 is counted over posts, which content keeps (events.received_total).
        user.received_total = events.received_total.first(user=user) or 0
        context = {"request": request, "following_ids": following}
        return Response(ProfileSerializer(user, context=context).data)


class FollowView(APIView):
    """Follow (POST) or unfollow (DELETE) a user."""

    permission_classes = [permissions.IsAuthenticated]
    throttle_scope = "interact"

    def _answer(self, changed: bool, followee: User, following: bool) -> Response:
        followee.refresh_from_db(fields=["follower_count"])
        return Response(
            {"changed": changed, "following": following, "follower_count": followee.follower_count}
        )

    @extend_schema(request=None, responses=RelationSerializer)
    def post(self, request, username):
        followee = _active_user(username)
        changed = services.follow_create(follower=request.user, followee=followee)
        return self._answer(changed, followee, True)

    @extend_schema(request=None, responses={200: RelationSerializer})
    def delete(self, request, username):
        followee = _active_user(username)
        changed = services.follow_delete(follower=request.user, followee=followee)
        return self._answer(changed, followee, False)


class FollowersView(generics.ListAPIView):
    """People who follow this user, newest first."""

    serializer_class = FollowerRowSerializer
    permission_classes = [permissions.AllowAny]
    filter_backends = []

    def get_queryset(self):
        return selectors.followers_of(user=_visible_user(self.request, self.kwargs["username"]))


class FollowingView(generics.ListAPIView):
    """People this user follows, newest first."""

    serializer_class = FollowingRowSerializer
    permission_classes = [permissions.AllowAny]
    filter_backends = []

    def get_queryset(self):
        return selectors.following_of(user=_visible_user(self.request, self.kwargs["username"]))


class BlockView(APIView):
    """Block (POST) or unblock (DELETE) a user; blocking removes follows both ways."""

    permission_classes = [permissions.IsAuthenticated]
    throttle_scope = "interact"

    @extend_schema(request=None, responses=RelationSerializer)
    def post(self, request, username):
        changed = services.block_create(blocker=request.user, blocked=_active_user(username))
        return Response({"changed": changed, "blocked": True})

    @extend_schema(request=None, responses={200: RelationSerializer})
    def delete(self, request, username):
        blocked = get_object_or_404(User, username=username)
        changed = services.block_delete(blocker=request.user, blocked=blocked)
        return Response({"changed": changed, "blocked": False})


class BlocksView(generics.ListAPIView):
    """The accounts the signed-in user blocks."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = BlockRowSerializer
    filter_backends = []

    def get_queryset(self):
        return Block.objects.filter(blocker=self.request.user).select_related("blocked")

