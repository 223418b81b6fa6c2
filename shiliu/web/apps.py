from django.apps import AppConfig


class WebConfig(AppConfig):
    """The shell on top of every app: home, navigation, error pages, demo orchestration and the API router."""

    name = "shiliu.web"
    label = "web"
    verbose_name = "Shiliu"
