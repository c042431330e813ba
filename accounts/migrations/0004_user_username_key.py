"""Add the username look-alike key and fill it for existing people.

Rows are keyed oldest first; a later name whose key an earlier one already holds keeps
a null key (it still exists and signs in; new look-alikes of it are refused by the first).
"""

from django.db import migrations, models


def fill_keys(apps, schema_editor):
    from accounts.usernames import username_key

    User = apps.get_model("accounts", "User")
    taken = set()
    for user in User.objects.order_by("pk").only("pk", "username").iterator():
        key = username_key(user.username)
        if key in taken:
            continue
        taken.add(key)
        User.objects.filter(pk=user.pk).update(username_key=key)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_user_ban"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="username_key",
            field=models.CharField(editable=False, max_length=150, null=True),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="user",
            name="username_key",
            field=models.CharField(editable=False, max_length=150, null=True, unique=True),
        ),
    ]
