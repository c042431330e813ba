from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = "Content"

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_save

        from content.cards import author_saved

        post_save.connect(author_saved, sender=get_user_model(), dispatch_uid="content.cards.author_saved")
