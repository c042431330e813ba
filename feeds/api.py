"""REST endpoints of the creator center (the engine's view of one's own posts)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from . import selectors


class CreatorPostSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.CharField()
    status = serializers.CharField()
    status_reason = serializers.CharField()
    created_at = serializers.DateTimeField()
    pool = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_pool(self, post) -> dict:
        return selectors.pool_summary(post)


class CreatorPostsView(generics.ListAPIView):
    """Each of my posts with its pool tier, impressions against quota, rates against
    thresholds and the transition history with reasons."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = CreatorPostSerializer
    filter_backends = []

    def get_queryset(self):
        return selectors.creator_posts(author=self.request.user)


class CreatorPostDetailView(APIView):
    """One of my posts in the pools, with impressions per hour over the last 48 h."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, pk):
        post = get_object_or_404(selectors.creator_posts(author=request.user), pk=pk)
        data = CreatorPostSerializer(post).data
        data["impressions_by_hour"] = selectors.impressions_series(post=post)
        return Response(data)


class CreatorWeightView(APIView):
    """My account weight (账号权重) and the component behind each factor."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        return Response(selectors.account_weight_of(user=request.user))
