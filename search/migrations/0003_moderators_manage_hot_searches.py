"""Moderators see hot searches and searches, and take a hot search down (block it)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = [
    ("hotsearch", "view_hotsearch"),
    ("hotsearch", "delete_hotsearch"),
    ("blockedsearch", "view_blockedsearch"),
    ("blockedsearch", "add_blockedsearch"),
    ("blockedsearch", "delete_blockedsearch"),
]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="moderator")
    codenames = [codename for _, codename in GRANTS]
    group.permissions.add(*Permission.objects.filter(content_type__app_label="search", codename__in=codenames))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = [codename for _, codename in GRANTS]
    for group in Group.objects.filter(name="moderator"):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="search", codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext"), ("moderation", "0002_moderator_group")]

    operations = [migrations.RunPython(grant, revoke)]
