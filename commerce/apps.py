from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommerceConfig(AppConfig):
    name = "commerce"
    verbose_name = _("Commerce: shops, products, orders")

    def ready(self):
        from commerce import receivers

        receivers.connect()
