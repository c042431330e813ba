from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BoostsConfig(AppConfig):
    name = "boosts"
    verbose_name = _("Boosts and wallets")

    def ready(self):
        from boosts import receivers

        receivers.connect()
