"""Create the "moderator" group with exactly the permissions moderation needs.

Moderators see posts, comments, reports, users, the review queue, report triage and the
audit log (view only: changes go through the actions), and hold the action permissions.
They change nothing else; the boosts app's migration adds what stopping a boost needs.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSIONS = {
    "content": ["view_post", "view_comment", "view_report"],
    "accounts": ["view_user"],
    "moderation": [
        "view_queueitem",
        "view_reportedpost",
        "view_auditentry",
        "moderate_post",
        "triage_report",
        "ban_user",
        "pin_hot",
        "stop_boost",
    ],
}


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations ran; make them exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="moderator")
    for app_label, codenames in PERMISSIONS.items():
        perms = list(Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames))
        missing = set(codenames) - {p.codename for p in perms}
        if missing:
            raise RuntimeError(f"permissions missing: {app_label} {sorted(missing)}")
        group.permissions.add(*perms)


def drop_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="moderator").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0001_initial"),
        ("accounts", "0003_user_ban"),
        ("content", "0003_reviewrequest"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, drop_group)]
