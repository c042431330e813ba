"""django-filter sets for list endpoints."""

import django_filters
from django.db.models import Q

from .models import Post


class PostFilter(django_filters.FilterSet):
    """Filter posts by channel (with its sub-channels), tag, author, kind, created range."""

    channel = django_filters.CharFilter(method="filter_channel", help_text="channel slug")
    tag = django_filters.CharFilter(field_name="tags__name", help_text="tag name")
    author = django_filters.CharFilter(field_name="author__username", help_text="username")
    kind = django_filters.ChoiceFilter(choices=Post.Kind.choices)
    created_after = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = Post
        fields = ["channel", "tag", "author", "kind", "created_after", "created_before"]

    def filter_channel(self, queryset, name, value):
        return queryset.filter(Q(channel__slug=value) | Q(channel__parent__slug=value))
