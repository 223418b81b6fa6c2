from django.apps import AppConfig


class WebConfig(AppConfig):
    """The shell on top of every app: home, navigation, error pages, demo orchestration and the API router."""

    name = "shiliu.web"
    label = "web"
    verbose_name = "Shiliu"

    def ready(self) -> None:
        # The reminders every app registers run once a day wherever the task worker runs (`make demo` included).
        from shiliu.notifications.reminders import reminders_enqueue
        from shiliu.runtime.worker import register_daily

        register_daily("reminders", reminders_enqueue)
