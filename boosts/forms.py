"""Web forms of the wallet and boost orders; the services validate the business rules."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from boosts.models import Boost
from content.models import Channel


class TopUpForm(forms.Form):
    amount = forms.IntegerField(label=_("Top up (credits, fen)"), min_value=1, initial=10_000)
    key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            # One key per rendered form: a double submit or a reload charges once.
            self.initial["key"] = uuid.uuid4().hex


class BoostForm(forms.Form):
    budget = forms.IntegerField(label=_("Impressions"), initial=1000)
    hours = forms.IntegerField(label=_("Duration (hours)"), initial=24)
    targeting = forms.ChoiceField(label=_("Targeting"), choices=Boost.Targeting.choices,
                                  widget=forms.RadioSelect, initial=Boost.Targeting.INTERESTS)
    channels = forms.ModelMultipleChoiceField(
        label=_("Channels"), required=False, to_field_name="slug",
        queryset=Channel.objects.filter(parent__isnull=True).order_by("position", "id"),
        widget=forms.CheckboxSelectMultiple,
    )
    goal = forms.ChoiceField(label=_("Goal"), choices=Boost.Goal.choices, initial=Boost.Goal.IMPRESSIONS,
                             widget=forms.RadioSelect, required=False)
    tags = forms.CharField(label=_("Tags (comma separated)"), required=False, max_length=200)
    lat = forms.FloatField(label=_("Latitude"), required=False)
    lng = forms.FloatField(label=_("Longitude"), required=False)
    radius_km = forms.FloatField(label=_("Radius (km)"), required=False)
