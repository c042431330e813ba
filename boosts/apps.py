from django.apps import AppConfig


class BoostsConfig(AppConfig):
    name = "boosts"
    verbose_name = "Boosts 薯条 and wallets"

    def ready(self):
        from boosts import receivers

        receivers.connect()
