from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "shiliu.notifications"
    label = "notifications"
    verbose_name = "Notifications"
