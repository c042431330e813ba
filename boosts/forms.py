"""Web forms of the wallet and boost orders; the services validate the business rules."""

import uuid

from django import forms

from boosts.models import Boost
from content.models import Channel


class TopUpForm(forms.Form):
    amount = forms.IntegerField(label="充值 Top up (credits, 分)", min_value=1, initial=10_000)
    key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            # One key per rendered form: a double submit or a reload charges once.
            self.initial["key"] = uuid.uuid4().hex


class BoostForm(forms.Form):
    budget = forms.IntegerField(label="曝光 Impressions", initial=1000)
    hours = forms.IntegerField(label="时长 Duration (hours)", initial=24)
    targeting = forms.ChoiceField(label="定向 Targeting", choices=Boost.Targeting.choices,
                                  widget=forms.RadioSelect, initial=Boost.Targeting.INTERESTS)
    channels = forms.ModelMultipleChoiceField(
        label="频道 Channels", required=False, to_field_name="slug",
        queryset=Channel.objects.filter(parent__isnull=True).order_by("position", "id"),
        widget=forms.CheckboxSelectMultiple,
    )
    goal = forms.ChoiceField(label="目标 Goal", choices=Boost.Goal.choices, initial=Boost.Goal.IMPRESSIONS,
                             widget=forms.RadioSelect, required=False)
    tags = forms.CharField(label="标签 Tags (comma separated)", required=False, max_length=200)
    lat = forms.FloatField(label="纬度 Latitude", required=False)
    lng = forms.FloatField(label="经度 Longitude", required=False)
    radius_km = forms.FloatField(label="半径 Radius (km)", required=False)
