from django.apps import AppConfig


class RuntimeConfig(AppConfig):
    """The running system: task workers' heartbeats and recovery (``manage.py worker``), forms sent once."""

    name = "shiliu.runtime"
    label = "runtime"
    verbose_name = "Runtime"
