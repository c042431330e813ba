"""REST endpoints for content: channels, tags, posts, comments, interactions, events."""

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated
from rest_framework.filters import SearchFilter
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api import BLOCKED_PROFILE
from accounts.models import User
from accounts.selectors import hidden_author_ids
from config.api_errors import NOT_FOUND
from config.pagination import PopularFirstCursorPagination
from config.request_guards import JSONParser, MultiPartParser
from config.throttles import client_address

from . import selectors, services
from .filters import PostFilter
from .models import Channel, Comment, Favourite, Like, NotInterested, Post, Tag
from .serializers import (
    ChannelTreeSerializer,
    CollectedPostSerializer,
    CommentCreateSerializer,
    CommentSerializer,
    EventBatchSerializer,
    NotInterestedSerializer,
    PostCreateSerializer,
    PostSerializer,
    PostUpdateSerializer,
    ReportSerializer,
    ShareSerializer,
    TagSerializer,
    ToggleSerializer,
)


class ChannelViewSet(viewsets.ReadOnlyModelViewSet):
    """The channel tree: top-level channels with their sub-channels."""

    serializer_class = ChannelTreeSerializer
    permission_classes = [permissions.AllowAny]
    lookup_field = "slug"
    pagination_class = None
    filter_backends = []

    def get_queryset(self):
        qs = Channel.objects.prefetch_related("children")
        return qs.filter(parent__isnull=True) if self.action == "list" else qs


class TagViewSet(viewsets.ReadOnlyModelViewSet):
    """Tags (#话题) by use; ``?search=`` matches the start of the name."""

    serializer_class = TagSerializer
    permission_classes = [permissions.AllowAny]
    lookup_field = "name"
    lookup_value_regex = "[^/]+"
    filter_backends = [SearchFilter]
    search_fields = ["^name"]
    queryset = Tag.objects.filter(post_count__gt=0)
    pagination_class = PopularFirstCursorPagination


class PostViewSet(viewsets.ModelViewSet):
    """Posts: list (filtered), publish, read, edit and delete one's own, and interact."""

    serializer_class = PostSerializer
    filterset_class = PostFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_parsers(self):
        """Publishing carries files (multipart, and only that); every other body is JSON."""
        # DRF asks for the parsers before it sets ``self.action``; the method says it then.
        action = getattr(self, "action", None) or self.action_map.get(self.request.method.lower())
        if action == "create":
            return [MultiPartParser()]
        return [JSONParser()]

    def get_queryset(self):
        user = self.request.user
        qs = selectors.posts_visible_to(user)
        if self.action == "list":
            author = self.request.query_params.get("author")
            mine = user.is_authenticated and author == user.username
            if not mine:
                statuses = [Post.Status.PUBLISHED]
                if author:  # a profile shows limited posts too
                    statuses.append(Post.Status.LIMITED)
                qs = qs.filter(status__in=statuses)
        return qs

    def get_throttles(self):
        self.throttle_scope = "post" if self.action == "create" else "interact"
        return super().get_throttles()

    def _render(self, posts, many=False, status_code=200):
        ids = [p.pk for p in posts] if many else [posts.pk]
        context = self.get_serializer_context()
        context["viewer_state"] = selectors.viewer_state(user=self.request.user, post_ids=ids)
        return Response(PostSerializer(posts, many=many, context=context).data, status=status_code)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self._render(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        return self._render(self.get_object())

    @extend_schema(request=PostCreateSerializer, responses={201: PostSerializer})
    def create(self, request, *args, **kwargs):
        data = PostCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # A client that sends no tags still gets keywords extracted from the text, as
        # before; one that sends tags gets just those (docs/decisions/tags-suggested-not-forced.md).
        extract = not data.validated_data["tags"]
        post = services.post_create(author=request.user, extract=extract, **data.validated_data)
        post = selectors.posts_with_cards().get(pk=post.pk)
        return self._render(post, status_code=status.HTTP_201_CREATED)

    @extend_schema(request=PostUpdateSerializer, responses=PostSerializer)
    def partial_update(self, request, *args, **kwargs):
        post = self.get_object()
        data = PostUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.post_update(post=post, actor=request.user, **data.validated_data)
        return self._render(selectors.posts_with_cards().get(pk=post.pk))

    def update(self, request, *args, **kwargs):
        if not kwargs.get("partial"):
            return self.partial_update(request, *args, **kwargs)
        return super().update(request, *args, **kwargs)

    def destroy(self, request, *args, **kwargs):
        services.post_delete(post=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    # ---------------------------------------------------------------- interactions
    def _toggle(self, created: bool, post: Post, field: str) -> Response:
        post.refresh_from_db(fields=[field])
        return Response({"changed": created, "count": getattr(post, field)})

    @extend_schema(request=None, responses={200: ToggleSerializer})
    @action(detail=True, methods=["post", "delete"], permission_classes=[permissions.IsAuthenticated])
    def like(self, request, pk=None):
        """Like (POST) or unlike (DELETE) the post."""
        post = self.get_object()
        if request.method == "POST":
            changed = services.like_create(user=request.user, post=post, source="api", address=client_address(request))
        else:
            changed = services.like_delete(user=request.user, post=post, address=client_address(request))
        return self._toggle(changed, post, "like_count")

    @extend_schema(request=None, responses={200: ToggleSerializer})
    @action(detail=True, methods=["post", "delete"], permission_classes=[permissions.IsAuthenticated])
    def favourite(self, request, pk=None):
        """Save (POST) or un-save (DELETE) the post: 收藏."""
        post = self.get_object()
        if request.method == "POST":
            changed = services.favourite_create(
                user=request.user, post=post, source="api", address=client_address(request)
            )
        else:
            changed = services.favourite_delete(user=request.user, post=post, address=client_address(request))
        return self._toggle(changed, post, "favourite_count")

    @extend_schema(request=ShareSerializer, responses=ToggleSerializer)
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def share(self, request, pk=None):
        """Record a share of the post; ``changed`` is false for a repeat (kept, not counted)."""
        post = self.get_object()
        data = ShareSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        first = services.share_create(
            user=request.user, post=post, target=data.validated_data["target"], address=client_address(request)
        )
        return self._toggle(first, post, "share_count")

    @extend_schema(request=ReportSerializer, responses={200: ToggleSerializer, 201: ToggleSerializer})
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def report(self, request, pk=None):
        """Report the post with a reason (once per user)."""
        post = self.get_object()
        data = ReportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        changed = services.report_create(
            user=request.user, post=post, address=client_address(request), **data.validated_data
        )
        return Response({"changed": changed}, status=201 if changed else 200)

    @extend_schema(
        methods=["GET"], request=None, responses=CommentSerializer(many=True)
    )
    @extend_schema(methods=["POST"], request=CommentCreateSerializer, responses={201: CommentSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None)  # the whole thread, one list
    def comments(self, request, pk=None):
        """List the post's comments (oldest first, with replies) or add one."""
        post = self.get_object()
        if request.method == "GET":
            context = {
                "request": request,
                "liked_comments": selectors.comments_liked_by(user=request.user, post=post),
            }
            comments = selectors.comments_of(post=post, viewer=request.user)
            return Response(CommentSerializer(comments, many=True, context=context).data)
        if not request.user.is_authenticated:
            raise NotAuthenticated("登录后才能评论。")
        data = CommentCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        parent = None
        if data.validated_data["parent"]:
            try:
                parent = selectors.comment_get_for_viewer(pk=data.validated_data["parent"], post=post, user=request.user)
            except Comment.DoesNotExist:  # deleted, elsewhere, or hidden by a block
                return Response({"detail": "这篇笔记下没有这条评论。", "code": "not_found"}, status=404)
        comment = services.comment_create(
            user=request.user,
            post=post,
            body=data.validated_data["body"],
            parent=parent,
            address=client_address(request),
        )
        return Response(CommentSerializer(comment, context={"request": request}).data, status=201)


PRIVATE_COLLECTIONS = "This person keeps their saves and likes private."


class CollectedPostsView(generics.ListAPIView):
    """Base of a profile's 收藏 and 赞过 lists: newest first, cursor-paged like every list.

    The owner always sees them; anyone else only while the owner keeps them public
    (``collections_public``), else 403: the profile is public, so hiding that the list
    exists would hide nothing, and a client can say "private" instead of "not found".
    Only published posts show, none by someone the caller blocked or who blocked them.
    """

    serializer_class = CollectedPostSerializer
    permission_classes = [permissions.AllowAny]
    filter_backends = []
    model: type[Favourite] | type[Like] = Favourite

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema asks without a person
            return self.model.objects.none()
        owner = get_object_or_404(User, username=self.kwargs["username"], is_active=True)
        viewer = self.request.user
        hidden = hidden_author_ids(user=viewer)
        if owner.pk in hidden:  # the profile answers the same way
            raise exceptions.PermissionDenied(BLOCKED_PROFILE)
        if not selectors.collections_visible(owner=owner, viewer=viewer):
            raise exceptions.PermissionDenied(PRIVATE_COLLECTIONS)
        collected = selectors.favourites_of if self.model is Favourite else selectors.likes_of
        return collected(owner=owner, viewer=viewer, hidden=hidden)

    def list(self, request, *args, **kwargs):
        rows = self.paginate_queryset(self.get_queryset())
        context = self.get_serializer_context()
        context["viewer_state"] = selectors.viewer_state(user=request.user, post_ids=[r.post_id for r in rows])
        return self.get_paginated_response(CollectedPostSerializer(rows, many=True, context=context).data)


class ProfileFavouritesView(CollectedPostsView):
    """收藏: the posts this person saved, newest save first (private lists answer 403)."""

    model = Favourite


class ProfileLikesView(CollectedPostsView):
    """赞过: the posts this person liked, newest like first (private lists answer 403)."""

    model = Like


class CommentDeleteView(generics.DestroyAPIView):
    """Delete a comment: its author or the post's author may."""

    permission_classes = [permissions.IsAuthenticated]
    queryset = Comment.objects.select_related("post")
    serializer_class = CommentSerializer

    def destroy(self, request, *args, **kwargs):
        comment = get_object_or_404(
            Comment.objects.select_related("post"),
            Q(author=request.user) | Q(post__author=request.user),
            pk=kwargs["pk"],
        )
        services.comment_delete(comment=comment, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CommentLikeView(APIView):
    """Like (POST) or unlike (DELETE) a comment the viewer can see."""

    permission_classes = [permissions.IsAuthenticated]
    throttle_scope = "interact"

    def _comment(self, request, pk: int) -> Comment:
        comment = get_object_or_404(Comment.objects.select_related("post"), pk=pk)
        # A comment on a post the viewer cannot open, or by someone a block hides, is a 404.
        get_object_or_404(selectors.posts_visible_to(request.user), pk=comment.post_id)
        try:
            return selectors.comment_get_for_viewer(pk=pk, post=comment.post, user=request.user)
        except Comment.DoesNotExist:
            raise Http404(_("No such comment.")) from None

    def _answer(self, comment: Comment, changed: bool) -> Response:
        comment.refresh_from_db(fields=["like_count"])
        return Response({"changed": changed, "count": comment.like_count})

    @extend_schema(request=None, responses={200: ToggleSerializer})
    def post(self, request, pk):
        comment = self._comment(request, pk)
        return self._answer(comment, services.comment_like_create(user=request.user, comment=comment))

    @extend_schema(request=None, responses={200: ToggleSerializer})
    def delete(self, request, pk):
        comment = self._comment(request, pk)
        return self._answer(comment, services.comment_like_delete(user=request.user, comment=comment))


class NotInterestedViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """The signed-in user's "not interested" choices: posts, authors, tags."""

    serializer_class = NotInterestedSerializer
    permission_classes = [permissions.IsAuthenticated]
    throttle_scope = "interact"
    filter_backends = []
    lookup_value_converter = "int"
    lookup_value_regex = "[0-9]+"  # what the router matches: other ids are a 404, not a 500
    queryset = NotInterested.objects.none()  # for the schema; get_queryset scopes to the user

    def get_queryset(self):
        return NotInterested.objects.filter(user=self.request.user).select_related(
            "author", "tag"
        )

    @extend_schema(responses={200: ToggleSerializer, 201: ToggleSerializer})
    def create(self, request, *args, **kwargs):
        data = NotInterestedSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        post = values.get("post")
        if post is not None:
            post = get_object_or_404(selectors.posts_visible_to(request.user), pk=post.pk)
        changed = services.not_interested_create(
            user=request.user,
            kind=values["kind"],
            post=post,
            author=values.get("author"),
            tag=values.get("tag"),
            address=client_address(request),
        )
        return Response({"changed": changed}, status=201 if changed else 200)

    def destroy(self, request, *args, **kwargs):
        if not services.not_interested_delete(user=request.user, pk=kwargs["pk"]):
            return Response({"detail": NOT_FOUND, "code": "not_found"}, status=404)
        return Response(status=status.HTTP_204_NO_CONTENT)


class EventBatchView(APIView):
    """Append a batch of view / watch events (seconds watched, watched to the end)."""

    permission_classes = [permissions.IsAuthenticated]
    throttle_scope = "events"

    @extend_schema(
        request=EventBatchSerializer,
        responses={202: ToggleSerializer},
    )
    def post(self, request):
        data = EventBatchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        stored = services.events_ingest(
            user=request.user, events=data.validated_data["events"], address=client_address(request)
        )
        return Response({"changed": stored > 0, "count": stored}, status=202)


class MentionSuggestionSerializer(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField()


class MentionSuggestView(APIView):
    """People to @mention: usernames starting with ``q`` (the comment form's autocomplete)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("q", str, description="the start of a username")],
        responses=MentionSuggestionSerializer(many=True),
    )
    def get(self, request):
        return Response(selectors.mention_suggestions(prefix=request.query_params.get("q", ""), user=request.user))
