"""Web forms for content; they validate input, services do the writing."""

from django import forms

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


class PostForm(forms.Form):
    kind = forms.ChoiceField(choices=Post.Kind.choices, widget=forms.RadioSelect, initial="note")
    title = forms.CharField(max_length=100, required=False, label="标题 Title")
    body = forms.CharField(
        max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 6}), label="正文 Text"
    )
    channel = forms.ModelChoiceField(
        queryset=Channel.objects.select_related("parent").order_by("parent_id", "position", "id"),
        label="频道 Channel",
    )
    tags = forms.CharField(
        required=False,
        label="话题 Tags",
        help_text="Separate with spaces or commas, e.g. 咖啡 探店",
    )
    images = MultipleFileField(required=False, label="图片 Images (1–9)")
    video = forms.FileField(
        required=False, label="视频 Video", widget=forms.ClearableFileInput(attrs={"accept": "video/*"})
    )
    video_seconds = forms.FloatField(required=False, widget=forms.HiddenInput)
    cover = forms.FileField(
        required=False, label="封面 Cover", widget=forms.ClearableFileInput(attrs={"accept": IMAGE_ACCEPT})
    )
    place_name = forms.CharField(max_length=80, required=False, label="地点 Place")
    lat = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    lng = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)

    def tag_list(self) -> list[str]:
        return split_tag_input(self.cleaned_data.get("tags") or "")


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
