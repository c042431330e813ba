from django.apps import AppConfig


class CommerceConfig(AppConfig):
    name = "commerce"
    verbose_name = "Commerce 兴趣电商: shops, products, orders"

    def ready(self):
        from commerce import receivers

        receivers.connect()
