from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = _("Content")

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_save

        from accounts import events as account_events
        from content.cards import author_saved
        from content.selectors import received_total

        post_save.connect(author_saved, sender=get_user_model(), dispatch_uid="content.cards.author_saved")
        account_events.received_total.connect(received_total)
