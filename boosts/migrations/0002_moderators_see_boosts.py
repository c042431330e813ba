"""Moderators see boosts (to stop one they hold ``moderation.stop_boost``)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="moderator")
    group.permissions.add(Permission.objects.get(content_type__app_label="boosts", codename="view_boost"))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="moderator"):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="boosts", codename="view_boost"))


class Migration(migrations.Migration):
    dependencies = [("boosts", "0001_initial"), ("moderation", "0002_moderator_group")]

    operations = [migrations.RunPython(grant, revoke)]
