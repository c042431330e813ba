"""Publishing, editing and deleting posts."""

from __future__ import annotations

import io
from collections.abc import Sequence
from itertools import zip_longest

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw

from accounts.models import User
from config.text import strip_invisible
from config.uploads import check_video, random_name, store_image
from content import events
from content.models import Channel, Post, PostImage, PostTag, ReviewRequest, Tag
from content.places import geocode
from content.tagging import extract_tags, hashtags_in, normalize_tag
from feeds.knobs import knob

EDITABLE_FIELDS = ("title", "body", "channel", "tags", "place_name", "lat", "lng")


def _author_tag_names(raw_tags: Sequence[str], title: str, body: str) -> list[str]:
    """Return the author's tags: those given plus #hashtags written in the text."""
    names: list[str] = []
    for raw in [*raw_tags, *hashtags_in(title), *hashtags_in(body)]:
        name = normalize_tag(raw)
        if name and name not in names:
            names.append(name)
    limit = settings.TAGS_PER_POST_MAX
    if len(names) > limit:
        raise ValidationError({"tags": _("A post takes at most {limit} tags; it has {count}.").format(limit=limit, count=len(names))})
    return names


def _check_place(place_name: str, lat: float | None, lng: float | None) -> None:
    if (lat is None) != (lng is None):
        raise ValidationError({"lat": _("Give latitude and longitude together.")})
    if lat is not None and not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise ValidationError({"lat": _("Latitude must be in -90…90 and longitude in -180…180.")})


def _set_tags(post: Post, author_names: list[str], title: str, body: str, *, extract: bool = True) -> None:
    """Attach the author's tags (and, with ``extract``, keywords of the text) to ``post``,
    keeping ``Tag.post_count`` right."""
    extracted = []
    if extract:
        extracted = [
            n
            for n in extract_tags(title, body, limit=settings.EXTRACTED_TAGS_PER_POST)
            if n not in author_names
        ]
    wanted = {n: PostTag.Source.AUTHOR for n in author_names}
    wanted.update({n: PostTag.Source.EXTRACTED for n in extracted})
    old_ids = set(post.post_tags.values_list("tag_id", flat=True))
    if old_ids:
        PostTag.objects.filter(post=post).delete()
        Tag.objects.filter(pk__in=old_ids).update(post_count=F("post_count") - 1)
    if not wanted:
        return
    Tag.objects.bulk_create([Tag(name=n) for n in wanted], ignore_conflicts=True)
    tags = Tag.objects.filter(name__in=wanted).only("id", "name")
    PostTag.objects.bulk_create([PostTag(post=post, tag=t, source=wanted[t.name]) for t in tags])
    Tag.objects.filter(pk__in=[t.pk for t in tags]).update(post_count=F("post_count") + 1)


def _placeholder_cover(title: str) -> ContentFile:
    """Return a plain 9:16 JPEG cover with a play mark, for videos sent without one."""
    img = Image.new("RGB", (360, 640), (36, 36, 48))
    draw = ImageDraw.Draw(img)
    draw.polygon([(150, 280), (150, 360), (220, 320)], fill=(240, 240, 240))
    buffer = io.BytesIO()
    img.save(buffer, "JPEG", quality=80)
    return ContentFile(buffer.getvalue(), name=random_name("jpg"))


@transaction.atomic
def post_create(
    *,
    author: User,
    kind: str,
    channel: Channel,
    title: str = "",
    body: str = "",
    tags: Sequence[str] = (),
    place_name: str = "",
    lat: float | None = None,
    lng: float | None = None,
    images: Sequence = (),
    alts: Sequence[str] = (),
    video=None,
    video_seconds: float | None = None,
    cover=None,
    extract: bool = True,
) -> Post:
    """Publish a note (1–9 images, in order, ``alts`` their alt texts) or a video and
    return it.

    Every upload is checked and re-encoded (config/uploads.py) before anything is
    written. Tags are the author's own (including #hashtags in the text), plus, with
    ``extract``, keywords extracted from the title and body (the web form passes False:
    it suggests them instead, docs/decisions/tags-suggested-not-forced.md). A place
    typed without coordinates is geocoded when it is a known one (``content.places``),
    else kept as text: ``post.has_place`` is then False and it stays out of 附近.
    """
    if not author.is_active or author.is_banned:
        raise PermissionDenied(_("This account cannot post."))
    title, body = strip_invisible(title).strip(), (body or "").strip()
    if not title and not body:
        raise ValidationError({"title": _("Write a title or some text.")})
    _check_place(place_name, lat, lng)
    place_name, lat, lng = _locate(strip_invisible(place_name or "").strip(), lat, lng)
    author_tags = _author_tag_names(tags, title, body)
    max_images = settings.UPLOADS["NOTE_MAX_IMAGES"]
    if kind == Post.Kind.NOTE:
        if video:
            raise ValidationError({"video": _("A note takes images, not a video.")})
        if not 1 <= len(images) <= max_images:
            raise ValidationError({"images": _("A note needs 1 to {count} images.").format(count=max_images)})
        if len(alts) > len(images):
            raise ValidationError({"alts": _("Give at most one alt text per image.")})
        errors, stored_images = [], []
        for upload in images:
            try:
                stored_images.append(store_image(upload))
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise ValidationError({"images": errors})
    elif kind == Post.Kind.VIDEO:
        if not video:
            raise ValidationError({"video": _("A video post needs a video file.")})
        if images:
            raise ValidationError({"images": _("A video post takes a cover, not images.")})
        try:
            checked_video = check_video(video, declared_seconds=video_seconds)
        except ValidationError as exc:
            raise ValidationError({"video": exc.messages}) from None
        video_seconds = checked_video.seconds
        try:
            stored_cover = store_image(cover or _placeholder_cover(title), label="cover")
        except ValidationError as exc:
            raise ValidationError({"cover": exc.messages}) from None
    else:
        raise ValidationError({"kind": _("Choose note or video.")})

    now = timezone.now()
    pending = _pending_by_policy(author)
    post = Post.objects.create(
        author=author,
        kind=kind,
        title=title,
        body=body,
        channel=channel,
        place_name=place_name,
        lat=lat,
        lng=lng,
        status=Post.Status.PENDING if pending else Post.Status.PUBLISHED,
        published_at=None if pending else now,
        video_seconds=video_seconds if kind == Post.Kind.VIDEO else None,
    )
    if kind == Post.Kind.NOTE:
        PostImage.objects.bulk_create(
            PostImage(
                post=post, image=image.file, card=image.card or "",
                width=image.width, height=image.height, position=position,
                alt=strip_invisible(alt or "").strip()[:200],
            )
            for position, (image, alt) in enumerate(zip_longest(stored_images, alts, fillvalue=""))
        )
    else:
        post.video.save(checked_video.name, video, save=False)
        post.cover = stored_cover.file
        post.cover_card = stored_cover.card or ""
        post.save(update_fields=["video", "cover", "cover_card"])
    _set_tags(post, author_tags, title, body, extract=extract)
    User.objects.filter(pk=author.pk).update(post_count=F("post_count") + 1)
    if pending:
        ReviewRequest.objects.create(
            post=post, source=ReviewRequest.Source.POLICY,
            reason=f"one of the author's first {knob('REVIEW_FIRST_POSTS')} posts",
        )
    else:
        events.post_published.send(post=post)
    return post


def _locate(place_name: str, lat: float | None, lng: float | None) -> tuple[str, float | None, float | None]:
    """Return the place a post is published with. The browser's position wins, with the
    typed name as its label; a typed name alone is geocoded when known, else kept as text."""
    if lat is not None or not place_name:
        return place_name, lat, lng
    known = geocode(place_name)
    if known is None:
        return place_name, None, None
    return known.name, known.lat, known.lng


def _pending_by_policy(author: User) -> bool:
    """Return True when the author's next post waits for a moderator (their first
    ``REVIEW_FIRST_POSTS`` posts do; staff never wait)."""
    first = knob("REVIEW_FIRST_POSTS")
    if not first or author.is_staff:
        return False
    count = User.objects.filter(pk=author.pk).values_list("post_count", flat=True).first() or 0
    return count < first


def _check_owner(post: Post, actor: User) -> None:
    if post.author_id != actor.pk:
        raise PermissionDenied(_("Only the author can change this post."))


@transaction.atomic
def post_update(*, post: Post, actor: User, **fields) -> Post:
    """Edit the author's own post: text, channel, tags and place (media stay)."""
    _check_owner(post, actor)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    raw_tags = fields.pop("tags", None)
    if "title" in fields:
        fields["title"] = strip_invisible(fields["title"])
    for name, value in fields.items():
        setattr(post, name, value.strip() if isinstance(value, str) else value)
    if not post.title and not post.body:
        raise ValidationError({"title": _("Write a title or some text.")})
    _check_place(post.place_name, post.lat, post.lng)
    post.save()
    if raw_tags is not None or {"title", "body"} & set(fields):
        # Keywords are re-extracted only for a post that had them (published through the
        # API without tags) and whose tags are not being chosen now.
        extract = raw_tags is None and post.post_tags.filter(source=PostTag.Source.EXTRACTED).exists()
        if raw_tags is None:
            raw_tags = list(
                post.post_tags.filter(source=PostTag.Source.AUTHOR).values_list(
                    "tag__name", flat=True
                )
            )
        _set_tags(
            post, _author_tag_names(raw_tags, post.title, post.body), post.title, post.body, extract=extract
        )
    return post


@transaction.atomic
def post_delete(*, post: Post, actor: User) -> None:
    """Delete a post with its media rows, tags and interactions (author or staff)."""
    if not actor.is_staff:
        _check_owner(post, actor)
    tag_ids = list(post.post_tags.values_list("tag_id", flat=True))
    Tag.objects.filter(pk__in=tag_ids).update(post_count=F("post_count") - 1)
    User.objects.filter(pk=post.author_id).update(post_count=F("post_count") - 1)
    channel_ids = [post.channel_id] + ([post.channel.parent_id] if post.channel.parent_id else [])
    events.post_gone.send(post_id=post.pk, author_id=post.author_id, channel_ids=channel_ids)
    events.posts_leaving.send(post_ids=[post.pk], reason="post deleted", by_moderation=post.author_id != actor.pk)
    post.delete()
