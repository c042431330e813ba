"""A person counts once per post: Share and PostView rows (one per person and post),
filled from the share and view events already stored, the share and view counters
recounted from them; engagement bursts, which moderators may view.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

FILL = [
    # The first share and the first view of each person and post, from the events.
    """INSERT INTO content_share (user_id, post_id, created_at)
       SELECT user_id, post_id, MIN(created_at) FROM content_event
       WHERE kind = 'share' AND user_id IS NOT NULL GROUP BY user_id, post_id""",
    """INSERT INTO content_postview (user_id, post_id, created_at)
       SELECT user_id, post_id, MIN(created_at) FROM content_event
       WHERE kind = 'view' AND user_id IS NOT NULL GROUP BY user_id, post_id""",
    """UPDATE content_post SET
       share_count = (SELECT COUNT(*) FROM content_share s WHERE s.post_id = content_post.id),
       view_count = (SELECT COUNT(*) FROM content_postview v WHERE v.post_id = content_post.id)""",
]


def let_moderators_see_bursts(apps, schema_editor):
    app_config = apps.get_app_config("content")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="moderator")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="content", codename="view_engagementburst")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0005_card_renditions"),
        ("moderation", "0002_moderator_group"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="PostView",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
        ),
        migrations.CreateModel(
            name="Share",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
        ),
        migrations.CreateModel(
            name="EngagementBurst",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("address", models.GenericIPAddressField(blank=True, null=True)),
                ("started_at", models.DateTimeField(db_index=True)),
                ("last_event_at", models.DateTimeField()),
                (
                    "events",
                    models.PositiveIntegerField(
                        default=0, help_text="events marked with this burst"
                    ),
                ),
                (
                    "accounts",
                    models.PositiveIntegerField(
                        default=0, help_text="accounts behind those events"
                    ),
                ),
                (
                    "posts",
                    models.PositiveIntegerField(default=0, help_text="posts those events were on"),
                ),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-started_at", "-id"],
            },
        ),
        migrations.AddField(
            model_name="event",
            name="burst",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="content.engagementburst",
            ),
        ),
        migrations.AddIndex(
            model_name="event",
            index=models.Index(
                condition=models.Q(("burst__isnull", False)), fields=["burst"], name="event_burst"
            ),
        ),
        migrations.AddField(
            model_name="postview",
            name="post",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="viewers",
                to="content.post",
            ),
        ),
        migrations.AddField(
            model_name="postview",
            name="user",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="share",
            name="post",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="shares",
                to="content.post",
            ),
        ),
        migrations.AddField(
            model_name="share",
            name="user",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddIndex(
            model_name="engagementburst",
            index=models.Index(fields=["user", "-last_event_at"], name="burst_user_last"),
        ),
        migrations.AddIndex(
            model_name="engagementburst",
            index=models.Index(fields=["address", "-last_event_at"], name="burst_address_last"),
        ),
        migrations.AddConstraint(
            model_name="engagementburst",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("user__isnull", False), ("address__isnull", True)),
                    models.Q(("user__isnull", True), ("address__isnull", False)),
                    _connector="OR",
                ),
                name="burst_one_source",
            ),
        ),
        migrations.AddConstraint(
            model_name="postview",
            constraint=models.UniqueConstraint(fields=("user", "post"), name="post_view_unique"),
        ),
        migrations.AddConstraint(
            model_name="share",
            constraint=models.UniqueConstraint(fields=("user", "post"), name="share_unique"),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
        migrations.RunPython(let_moderators_see_bursts, migrations.RunPython.noop),
    ]
