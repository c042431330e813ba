"""Web forms for content; they validate input, services do the writing."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from config.uploads import IMAGE_ACCEPT

from .models import Channel, Comment, Post, Report
from .tagging import split_tag_input


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that takes several files (the note's images)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": IMAGE_ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


ALT_MAX_LENGTH = 200


class PostForm(forms.Form):
    """The publish form. With JavaScript (static/js/publish.js) the chosen images are
    previewed and reordered: ``order`` carries the new order as indexes into the file
    list ("2,0,1"), and ``alt_<i>`` the alt text of the ``i``-th chosen file; ``clean``
    hands the service the images and their alt texts in that order."""

    kind = forms.ChoiceField(
        choices=[(Post.Kind.NOTE, _("Note")), (Post.Kind.VIDEO, _("Video"))],
        widget=forms.RadioSelect,
        initial="note",
        label=_("Kind"),
    )
    title = forms.CharField(max_length=100, required=False, label=_("Title"))
    body = forms.CharField(
        max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 6}), label=_("Text")
    )
    channel = forms.ModelChoiceField(
        queryset=Channel.objects.select_related("parent").order_by("parent_id", "position", "id"),
        label=_("Channel"),
    )
    tags = forms.CharField(
        required=False,
        label=_("Tags"),
        help_text=_("Separate with spaces or commas, e.g. 咖啡 探店"),
    )
    images = MultipleFileField(required=False, label=_("Images (1–9)"))
    order = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    video = forms.FileField(
        required=False, label=_("Video"), widget=forms.ClearableFileInput(attrs={"accept": "video/*"})
    )
    video_seconds = forms.FloatField(required=False, widget=forms.HiddenInput)
    cover = forms.FileField(
        required=False, label=_("Cover"), widget=forms.ClearableFileInput(attrs={"accept": IMAGE_ACCEPT})
    )
    place_name = forms.CharField(max_length=80, required=False, label=_("Place"))
    lat = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    lng = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(settings.UPLOADS["NOTE_MAX_IMAGES"]):
            self.fields[f"alt_{i}"] = forms.CharField(
                required=False, max_length=ALT_MAX_LENGTH, label=_("Alt text"), widget=forms.HiddenInput
            )

    def clean(self):
        data = super().clean()
        images = data.get("images") or []
        order = self._order(data.get("order") or "", len(images))
        if order is None:
            self.add_error("images", _("The order of the images does not match the images chosen."))
            return data
        data["images"] = [images[i] for i in order]
        data["alts"] = [data.get(f"alt_{i}") or "" for i in order]
        return data

    @staticmethod
    def _order(raw: str, count: int) -> list[int] | None:
        """Return the chosen order as indexes (the files' own order when none was sent),
        or None when it is not an arrangement of exactly the chosen files."""
        if not raw.strip():
            return list(range(count))
        try:
            order = [int(part) for part in raw.split(",")]
        except ValueError:
            return None
        return order if sorted(order) == list(range(count)) else None

    def tag_list(self) -> list[str]:
        return split_tag_input(self.cleaned_data.get("tags") or "")


class TagSuggestForm(forms.Form):
    """A draft's text to suggest tags for, and the tags already chosen."""

    title = forms.CharField(max_length=100, required=False)
    body = forms.CharField(max_length=5000, required=False)
    tags = forms.CharField(max_length=500, required=False)


class CommentForm(forms.ModelForm):
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Comment
        fields = ["body"]
        widgets = {"body": forms.TextInput(attrs={"placeholder": "说点什么… Say something"})}
        labels = {"body": ""}


class ReportForm(forms.Form):
    reason = forms.ChoiceField(choices=Report.Reason.choices)
    detail = forms.CharField(max_length=500, required=False)
