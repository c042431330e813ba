from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications 消息"

    def ready(self):
        from notifications import receivers

        receivers.connect()
