"""What happens to an uploaded file: re-encoded, renamed, stripped, served only as media."""

from __future__ import annotations

import io
import re
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, PngImagePlugin

from accounts.models import User
from content.models import Post, PostImage

pytestmark = pytest.mark.django_db

POSTS = "/api/v1/posts/"
ME = "/api/v1/me/"
AVATAR = "/api/v1/me/avatar/"
SCRIPT = b"<script>fetch('/api/v1/wallet/').then(r => r.text()).then(alert)</script>"


def media_files(root) -> list:
    return sorted(p for p in root.rglob("*") if p.is_file())


def png_with_script(name="page.html") -> SimpleUploadedFile:
    """A valid PNG whose text chunk carries a script, as the attacker sent it."""
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", SCRIPT.decode())
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 200)).save(buffer, "PNG", pnginfo=info)
    assert SCRIPT in buffer.getvalue()
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="text/html")


def jpeg(name="photo.jpg", size=(60, 40), *, gps=False, orientation=None) -> SimpleUploadedFile:
    """A JPEG as a phone writes it: with a GPS position and an orientation if asked."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneCo"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    if gps:
        exif[ExifTags.Base.GPSInfo] = {
            ExifTags.GPS.GPSLatitudeRef: "N",
            ExifTags.GPS.GPSLatitude: (31.0, 14.0, 1.5),
            ExifTags.GPS.GPSLongitudeRef: "E",
            ExifTags.GPS.GPSLongitude: (121.0, 28.0, 2.5),
        }
    img = Image.new("RGB", size, (200, 60, 60))
    img.paste((20, 200, 20), (0, 0, size[0] // 4, size[1] // 4))  # a mark in the top left
    buffer = io.BytesIO()
    img.save(buffer, "JPEG", exif=exif)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def big_png(name: str, size: tuple[int, int]) -> SimpleUploadedFile:
    """A plain PNG of the given size; one colour, so even 6300×6300 is about 100 KB."""
    buffer = io.BytesIO()
    Image.new("RGB", size, (90, 90, 160)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def png_claiming(width: int, height: int, name="bomb.png") -> SimpleUploadedFile:
    """A few bytes whose PNG header claims ``width`` × ``height`` pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )
    return SimpleUploadedFile(name, body, content_type="image/png")


def gif(name="dance.gif") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    frames = [Image.new("P", (20, 20), i) for i in (1, 2, 3)]
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:])
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/gif")


def publish_note(client, *images):
    return client.post(
        POSTS,
        {"kind": "note", "title": "上海咖啡探店", "channel": "food", "images": list(images)},
        format="multipart",
    )


def stored_image(post_id: int) -> PostImage:
    return PostImage.objects.get(post_id=post_id)


def open_stored(media_root, name: str) -> Image.Image:
    return Image.open(media_root / name)


# ---------------------------------------------------------------- scripts in uploads
def test_an_uploaded_file_named_page_html_is_never_served_as_a_web_page(
    make_user, client_for, client, media_root
):
    response = publish_note(client_for(make_user()), png_with_script("page.html"))

    assert response.status_code == 201, response.json()
    image = stored_image(response.json()["id"])
    assert re.fullmatch(r"images/\d{4}/\d{2}/[0-9a-f]{32}\.png", image.image.name), image.image.name
    assert "page" not in image.image.name
    assert SCRIPT not in (media_root / image.image.name).read_bytes()
    served = client.get(f"/media/{image.image.name}")
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in served["Content-Security-Policy"]


def test_a_file_left_under_a_clients_html_name_is_not_served_at_all(client, media_root, channels):
    """Files stored under the sender's own name before the pipeline must not become pages."""
    old = media_root / "images" / "2026" / "11" / "x.html"
    old.parent.mkdir(parents=True)
    old.write_bytes(b"\x89PNG\r\n\x1a\n" + SCRIPT)

    response = client.get("/media/images/2026/11/x.html")

    assert response.status_code == 404
    assert b"<script" not in response.content


def test_an_image_sent_as_a_video_cover_is_stored_under_a_generated_png_name(
    make_user, client_for, video_file, media_root
):
    response = client_for(make_user()).post(
        POSTS,
        {
            "kind": "video",
            "title": "猫咪日常",
            "channel": "cats",
            "video": video_file(),
            "cover": png_with_script("cover.svg"),
        },
        format="multipart",
    )

    assert response.status_code == 201, response.json()
    cover = Post.objects.get().cover.name
    assert re.fullmatch(r"covers/\d{4}/\d{2}/[0-9a-f]{32}\.png", cover), cover
    assert SCRIPT not in (media_root / cover).read_bytes()


def test_a_real_mp4_named_clip_html_is_stored_and_served_as_an_mp4(
    make_user, client_for, video_file, client
):
    response = client_for(make_user()).post(
        POSTS,
        {
            "kind": "video",
            "title": "西湖骑行",
            "channel": "travel",
            "video": video_file("clip.html"),
        },
        format="multipart",
    )

    assert response.status_code == 201, response.json()
    name = Post.objects.get().video.name
    assert re.fullmatch(r"videos/\d{4}/\d{2}/[0-9a-f]{32}\.mp4", name), name
    served = client.get(f"/media/{name}")
    assert served["Content-Type"] == "video/mp4"
    assert served["X-Content-Type-Options"] == "nosniff"


def test_an_iphone_photo_sent_as_a_video_is_refused(make_user, client_for, media_root):
    """HEIC photos share MP4's ``ftyp`` box; the brand tells them apart."""
    heic = SimpleUploadedFile(
        "clip.mp4",
        struct.pack(">I", 24) + b"ftypheic" + b"\0" * 4 + b"mif1heic" + b"\0" * 200,
        content_type="video/mp4",
    )

    response = client_for(make_user()).post(
        POSTS,
        {"kind": "video", "title": "照片", "channel": "film", "video": heic},
        format="multipart",
    )

    assert response.status_code == 400
    assert "不是视频文件" in response.json()["errors"]["video"][0]
    assert media_files(media_root) == []


# ---------------------------------------------------------------- metadata and orientation
def test_a_photos_gps_position_is_gone_after_upload(make_user, client_for, media_root):
    photo = jpeg(gps=True)
    assert Image.open(photo).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the phone wrote one
    photo.seek(0)

    response = publish_note(client_for(make_user()), photo)

    assert response.status_code == 201, response.json()
    stored = media_root / stored_image(response.json()["id"]).image.name
    assert stored.suffix == ".jpg"
    with Image.open(stored) as img:
        assert not img.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert not img.getexif()
    assert b"Exif" not in stored.read_bytes()
    assert b"PhoneCo" not in stored.read_bytes()


def test_a_photo_taken_sideways_is_stored_upright(make_user, client_for, media_root):
    # Orientation 6: the camera was turned; a viewer rotates the 60×40 pixels 90° clockwise.
    response = publish_note(client_for(make_user()), jpeg(size=(60, 40), orientation=6))

    assert response.status_code == 201, response.json()
    image = response.json()["images"][0]
    assert (image["width"], image["height"]) == (40, 60)
    with open_stored(media_root, stored_image(response.json()["id"]).image.name) as img:
        assert img.size == (40, 60)
        assert ExifTags.Base.Orientation not in img.getexif()
        top_right = img.getpixel((36, 3))  # the green mark, turned with the picture
        assert top_right[1] > 150 and top_right[0] < 100


# ---------------------------------------------------------------- sizes
def test_a_6300_by_6300_avatar_is_stored_downscaled(make_user, client_for, media_root, settings):
    user = make_user()
    huge = big_png("me.png", (6300, 6300))
    assert huge.size < settings.UPLOADS["AVATAR_MAX_BYTES"]

    response = client_for(user).put(AVATAR, {"avatar": huge}, format="multipart")

    assert response.status_code == 200, response.json()
    user.refresh_from_db()
    side = settings.UPLOADS["AVATAR_SIDE"]
    assert re.fullmatch(r"avatars/\d{4}/\d{2}/[0-9a-f]{32}\.png", user.avatar.name), (
        user.avatar.name
    )
    with open_stored(media_root, user.avatar.name) as img:
        assert img.size == (side, side)


def test_a_wide_avatar_is_cropped_to_a_square(make_user, client_for, media_root):
    user = make_user()

    client_for(user).put(AVATAR, {"avatar": big_png("wide.png", (900, 300))}, format="multipart")

    user.refresh_from_db()
    with open_stored(media_root, user.avatar.name) as img:
        assert img.size == (300, 300)


def test_a_big_photo_is_stored_at_the_size_cap_with_a_card_sized_copy_for_the_feed(
    make_user, client_for, media_root, settings, client
):
    settings.UPLOADS = {**settings.UPLOADS, "IMAGE_MAX_SIDE": 1200, "CARD_BOX": (300, 600)}

    response = publish_note(client_for(make_user()), big_png("wide.png", (2400, 1600)))

    assert response.status_code == 201, response.json()
    image = stored_image(response.json()["id"])
    assert (image.width, image.height) == (1200, 800)
    with open_stored(media_root, image.image.name) as img:
        assert img.size == (1200, 800)
    with open_stored(media_root, image.card.name) as card:
        assert card.size == (300, 200)
    shown = response.json()["images"][0]
    assert shown["card"].endswith(image.card.name)
    assert shown["url"].endswith(image.image.name)
    assert image.card.url in client.get("/latest/").content.decode()


def test_a_small_photo_is_its_own_card(make_user, client_for):
    response = publish_note(client_for(make_user()), big_png("small.png", (200, 150)))

    shown = response.json()["images"][0]
    assert shown["card"] == shown["url"]
    assert not stored_image(response.json()["id"]).card


@pytest.mark.parametrize(
    ("width", "height", "said"),
    [(10_000, 5_000, "10000×5000 像素"), (40_000, 25_000, "像素过多")],
)
def test_an_image_claiming_too_many_pixels_is_refused_before_it_is_decoded(
    make_user, client_for, media_root, width, height, said
):
    response = publish_note(client_for(make_user()), png_claiming(width, height))

    assert response.status_code == 400
    message = response.json()["errors"]["images"][0]
    assert said in message and "最多 40 百万像素" in message
    assert media_files(media_root) == []
    assert not Post.objects.exists()


# ---------------------------------------------------------------- formats
def test_a_gif_is_refused_with_the_formats_that_work(make_user, client_for, media_root):
    response = publish_note(client_for(make_user()), gif())

    assert response.status_code == 400
    message = response.json()["errors"]["images"][0]
    assert "dance.gif 是 GIF" in message and "JPEG、PNG 或 WebP" in message
    assert media_files(media_root) == []


def test_a_webp_photo_stays_a_webp(make_user, client_for, media_root):
    buffer = io.BytesIO()
    Image.new("RGB", (50, 50), (1, 2, 3)).save(buffer, "WEBP")
    upload = SimpleUploadedFile("p.bin", buffer.getvalue(), content_type="application/octet-stream")

    response = publish_note(client_for(make_user()), upload)

    assert response.status_code == 201, response.json()
    assert stored_image(response.json()["id"]).image.name.endswith(".webp")


def test_a_16_bit_grey_scan_is_stored_as_an_ordinary_grey_png(make_user, client_for, media_root):
    buffer = io.BytesIO()
    Image.new("I;16", (3000, 40), 40_000).save(buffer, "PNG")
    scan = SimpleUploadedFile("scan.png", buffer.getvalue(), content_type="image/png")

    response = publish_note(client_for(make_user()), scan)

    assert response.status_code == 201, response.content
    with open_stored(media_root, stored_image(response.json()["id"]).image.name) as img:
        assert img.mode == "L"
        assert img.getpixel((0, 0)) == 40_000 // 256  # the same grey, in 8 bits


# ---------------------------------------------------------------- the web forms
@pytest.fixture
def member(client, make_user):
    user = make_user("webber")
    client.force_login(user)
    return user


def test_publishing_a_gif_on_the_web_shows_a_form_error_and_stores_nothing(
    client, member, channels, media_root
):
    response = client.post(
        "/publish/",
        {"kind": "note", "title": "动图", "channel": channels["food"].pk, "images": [gif()]},
    )

    assert response.status_code == 200
    assert "JPEG、PNG 或 WebP" in response.content.decode()
    assert not Post.objects.exists()
    assert media_files(media_root) == []


def test_a_huge_avatar_from_the_profile_page_is_stored_downscaled(
    client, member, media_root, settings
):
    response = client.post(
        "/settings/profile/",
        {"display_name": "网页", "language": "zh", "avatar": big_png("me.png", (3000, 2000))},
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    member.refresh_from_db()
    side = settings.UPLOADS["AVATAR_SIDE"]
    with open_stored(media_root, member.avatar.name) as img:
        assert img.size == (side, side)


def test_a_gif_avatar_on_the_profile_page_shows_a_form_error(client, member, media_root):
    response = client.post(
        "/settings/profile/", {"display_name": "网页", "language": "zh", "avatar": gif("me.gif")}
    )

    assert response.status_code == 200
    assert "JPEG、PNG 或 WebP" in response.content.decode()
    assert not User.objects.get(pk=member.pk).avatar
    assert media_files(media_root) == []
