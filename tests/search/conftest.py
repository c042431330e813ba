import pytest


@pytest.fixture
def note(make_user, image_file, committed, channels):
    """Publish a note through the real service and index it as its commit would."""
    from content import services

    def make(title: str, body: str = "", *, author=None, channel: str = "food", **kw):
        with committed():
            return services.post_create(
                author=author or make_user(),
                kind=kw.pop("kind", "note"),
                channel=channels[channel],
                title=title,
                body=body,
                images=kw.pop("images", [image_file()]),
                **kw,
            )

    return make


@pytest.fixture
def moderator(make_user):
    from django.contrib.auth.models import Group

    user = make_user("mod", onboard=False)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.groups.add(Group.objects.get(name="moderator"))
    return user
