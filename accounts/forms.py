"""Web forms for people; they validate input, services do the writing."""

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm, UsernameField
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.text import strip_invisible
from config.uploads import IMAGE_ACCEPT

from .backends import banned_message
from .models import InterestPick, User
from .services import PROFILE_FIELDS


def banned_user(username: str | None, password: str | None) -> User | None:
    """Return the banned account these credentials belong to, if they do.

    The backend refuses banned accounts like a wrong password; this tells them apart so
    the person learns why (only when the password is right: nothing leaks otherwise).
    """
    user = User.objects.filter(username=username or "", is_banned=True).first()
    return user if user is not None and user.check_password(password or "") else None


class LoginForm(AuthenticationForm):
    """The login form; a banned account is told it is banned, and why."""

    banned = False

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            user = banned_user(self.cleaned_data.get("username"), self.cleaned_data.get("password"))
            if user is not None:
                self.banned = True
                raise ValidationError(banned_message(user), code="banned") from None
            raise


class CleanUsernameField(UsernameField):
    """Django's username field, with invisible characters removed before NFKC."""

    def to_python(self, value):
        return super().to_python(strip_invisible(value) if isinstance(value, str) else value)


class SignupForm(UserCreationForm):
    class Meta:
        model = User
        fields = ["username", "display_name", "email", "language"]
        field_classes = {"username": CleanUsernameField}
        labels = {"display_name": gettext_lazy("Display name"), "language": gettext_lazy("Language")}


class InterestPickerForm(forms.Form):
    channels = forms.ModelMultipleChoiceField(
        queryset=InterestPick.channel.field.related_model.objects.select_related("parent").order_by("parent_id", "position", "id"),
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("Pick what you like"),
    )

    def clean_channels(self):
        picked = self.cleaned_data["channels"]
        minimum = settings.ONBOARDING_MIN_CHANNELS
        if len(picked) < minimum:
            raise ValidationError(_("Pick at least {minimum} channels you like.").format(minimum=minimum))
        return picked


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = list(PROFILE_FIELDS)
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 3}),
            "avatar": forms.ClearableFileInput(attrs={"accept": IMAGE_ACCEPT}),
        }
        labels = {
            "display_name": gettext_lazy("Display name"),
            "bio": gettext_lazy("Bio"),
            "avatar": gettext_lazy("Avatar"),
            "language": gettext_lazy("Language"),
            "region": gettext_lazy("Region"),
            "home_place": gettext_lazy("Home place"),
            "home_lat": gettext_lazy("Home latitude"),
            "home_lng": gettext_lazy("Home longitude"),
            "collections_public": gettext_lazy("Show my saves and likes"),
        }
        help_texts = {
            "region": gettext_lazy("e.g. Shanghai"),
            "collections_public": gettext_lazy("Others may open the Saved and Liked tabs of your profile."),
        }

    def clean(self):
        data = super().clean()
        if (data.get("home_lat") is None) != (data.get("home_lng") is None):
            raise ValidationError(_("Give both latitude and longitude of your home place, or neither."))
        return data
