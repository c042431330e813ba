"""Seed the channel tree (13 top-level channels, Chinese and English names)."""

from django.db import migrations


def seed(apps, schema_editor):
    from content.channel_tree import seed_channels

    seed_channels(apps.get_model("content", "Channel"))


class Migration(migrations.Migration):
    dependencies = [("content", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
