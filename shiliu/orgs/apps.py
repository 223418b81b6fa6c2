from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "shiliu.orgs"
    label = "orgs"
    verbose_name = _("Units")

    def ready(self) -> None:
        from auditlog.registry import auditlog
        from django_tasks.signals import task_finished

        from .models import Organization
        from .tasks import on_task_finished

        # A failed or lost unit-import task fails its job at once (its page then says so).
        task_finished.connect(on_task_finished, dispatch_uid="orgs-unit-import-task-finished")

        # Changes of a contact phone are logged masked like everywhere else (138****5678), never in clear.
        auditlog.register(
            Organization, mask_fields=["contact_phone"], mask_callable="shiliu.orgs.models.mask_phone"
        )
