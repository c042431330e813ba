"""Web forms for people; they validate input, services do the writing."""

from django import forms
from django.conf import settings
from django.contrib.auth.forms import UserCreationForm
from django.core.exceptions import ValidationError

from content.media import validate_image
from content.models import Channel

from .models import User


class SignupForm(UserCreationForm):
    class Meta:
        model = User
        fields = ["username", "display_name", "email", "language"]
        labels = {"display_name": "昵称 Display name", "language": "语言 Language"}


class InterestPickerForm(forms.Form):
    channels = forms.ModelMultipleChoiceField(
        queryset=Channel.objects.select_related("parent").order_by("parent_id", "position", "id"),
        widget=forms.CheckboxSelectMultiple,
        label="选择你感兴趣的频道 Pick what you like",
    )

    def clean_channels(self):
        picked = self.cleaned_data["channels"]
        minimum = settings.ONBOARDING_MIN_CHANNELS
        if len(picked) < minimum:
            raise ValidationError(f"Pick at least {minimum} channels you like. 至少选择 {minimum} 个。")
        return picked


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "bio", "avatar", "language", "region", "home_place", "home_lat", "home_lng"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 3})}

    def clean_avatar(self):
        avatar = self.cleaned_data.get("avatar")
        if avatar and hasattr(avatar, "size") and avatar != self.instance.avatar:
            validate_image(avatar, max_bytes=settings.UPLOADS["AVATAR_MAX_BYTES"], label="avatar")
        return avatar

    def clean(self):
        data = super().clean()
        if (data.get("home_lat") is None) != (data.get("home_lng") is None):
            raise ValidationError("Give both latitude and longitude of your home place, or neither.")
        return data
