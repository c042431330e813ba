"""Django's makemessages, merging with --no-fuzzy-matching: a new msgid starts empty
instead of borrowing the Chinese of a similar old one (docs/i18n.md). makemessages has no
such option of its own; msgmerge's options are a class attribute."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
