from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "shiliu.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from shiliu.accounts.signals import user_notice

        from .services import deliver_user_notice

        user_notice.connect(deliver_user_notice, dispatch_uid="notifications-user-notice")
