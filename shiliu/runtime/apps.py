from django.apps import AppConfig


class RuntimeConfig(AppConfig):
    """The running system: task workers' heartbeats and recovery (``manage.py worker``), forms sent once."""

    name = "shiliu.runtime"
    label = "runtime"
    verbose_name = "Runtime"

    def ready(self) -> None:
        from django_tasks.signals import task_finished

        from .exports import exports_expire, on_task_finished
        from .worker import register_daily

        task_finished.connect(on_task_finished, dispatch_uid="runtime-export-task-finished")
        register_daily("exports_expire", exports_expire)
