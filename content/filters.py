"""django-filter sets for list endpoints."""

from datetime import UTC

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django_filters.fields import IsoDateTimeField

from .models import Post


class UtcIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 date-time, turned to UTC before it reaches the database.

    PostgreSQL refuses a literal whose offset is beyond ±15:59, which ISO 8601 allows
    (up to ±23:59): found by fuzzing the API on PostgreSQL. The same instant in UTC is
    accepted everywhere.
    """

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return None
        try:
            return value.astimezone(UTC)
        except OverflowError as exc:
            raise ValidationError(_("Give a date-time between the years 1 and 9999."), code="invalid") from exc


class UtcIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcIsoDateTimeField


class PostFilter(django_filters.FilterSet):
    """Filter posts by channel (with its sub-channels), tag, author, kind, created range."""

    channel = django_filters.CharFilter(method="filter_channel", help_text="channel slug")
    tag = django_filters.CharFilter(field_name="tags__name", help_text="tag name")
    author = django_filters.CharFilter(field_name="author__username", help_text="username")
    kind = django_filters.ChoiceFilter(choices=Post.Kind.choices)
    created_after = UtcIsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = UtcIsoDateTimeFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = Post
        fields = ["channel", "tag", "author", "kind", "created_after", "created_before"]

    def filter_channel(self, queryset, name, value):
        return queryset.filter(Q(channel__slug=value) | Q(channel__parent__slug=value))
