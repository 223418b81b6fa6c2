from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResidentsConfig(AppConfig):
    name = "shiliu.residents"
    label = "residents"
    verbose_name = _("Migrant residents")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from shiliu.lib.crypto import register_field
        from shiliu.runtime.exports import register_export

        from . import exporters, models

        # Changes are logged with the encrypted columns and hashes left out: the log never holds them, not even as
        # ciphertext (a log kept longer than the keys must not become a store of ID numbers).
        secret = ["id_number_encrypted", "id_number_hash", "phone_encrypted"]
        auditlog.register(models.Resident, exclude_fields=secret)
        auditlog.register(models.Consent)
        auditlog.register(models.Handover)
        for field in models.ENCRYPTED_FIELDS:
            register_field(field)
        register_export(exporters.EXPORT_KIND, exporters.write_residents)
        self._ready_requests()

        from .livelihood.apps import livelihood_ready

        livelihood_ready()

    def _ready_requests(self) -> None:
        from auditlog.registry import auditlog

        from shiliu.lib.crypto import register_field
        from shiliu.notifications import reminders

        from .requests import admin as _admin  # noqa: F401 — registers the desk's configuration
        from .requests import models, tasks

        auditlog.register(models.ServiceRequest, exclude_fields=["phone_encrypted", "phone_hash"])
        for model in (
            models.RoutingRule,
            models.SlaRule,
            models.DeskSettings,
            models.Extension,
            models.FollowUp,
        ):
            auditlog.register(model)
        for field in models.ENCRYPTED_FIELDS:
            register_field(field)
        # The SLA clocks ride on the daily reminders the worker queues (reminders before and after the deadline,
        # automatic escalation, default ratings).
        reminders.register("request_clocks", tasks.run_request_clocks)
        # ... and, since a sign-for deadline is counted in working hours, every few minutes as well (one worker
        # per interval queues the pass).
        from django.conf import settings

        from shiliu.runtime.worker import register_periodic

        register_periodic(
            "request_clocks",
            tasks.run_request_clocks.enqueue,
            every_seconds=lambda: settings.SHILIU_REQUEST_CLOCKS_MINUTES * 60,
        )
