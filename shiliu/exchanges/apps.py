from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangesConfig(AppConfig):
    name = "shiliu.exchanges"
    label = "exchanges"
    verbose_name = _("Exchanges")

    def ready(self) -> None:
        from auditlog.registry import auditlog
        from django_tasks.signals import task_finished

        from shiliu.runtime.exports import register_export
        from shiliu.runtime.worker import register_recovery

        from . import models
        from .imports import services as imports
        from .imports import tasks as import_tasks
        from .ledger import exports as ledger_exports

        # A failed or lost import task fails its job at once; the worker's recovery step repairs what was missed.
        task_finished.connect(import_tasks.on_task_finished, dispatch_uid="exchanges-import-task-finished")
        register_recovery(imports.import_jobs_recover)
        register_export(ledger_exports.KIND, ledger_exports.write_activities)

        for model in (
            models.Activity,
            models.Participation,
            models.Evidence,
            models.ImportJob,
            models.PenPalProgramme,
            models.PenPalStudent,  # minors' data: every change is logged, and the roster page logs each view
            models.PenPalMatch,
            models.LetterLog,
            models.OnlineClass,
            models.StudyRoute,
            models.TourGroup,
        ):
            auditlog.register(model)

        from shiliu.notifications.reminders import register as register_reminder
        from shiliu.pairings.panels import register as register_panel

        from .ledger.panels import activity_panels
        from .ledger.selectors import pairing_panel
        from .menu.selectors import route_offers_panel
        from .tourism.panels import route_panels
        from .youth.selectors import online_class_panel
        from .youth.tasks import remind_online_classes

        register_reminder("online_classes", remind_online_classes)

        from .ledger import changes
        from .statistics import refresh as statistics_refresh
        from .statistics.tasks import refresh_if_pending

        changes.register(statistics_refresh.activities_changed)
        register_recovery(refresh_if_pending)

        from . import workbench

        workbench.register()
        register_panel(pairing_panel)
        activity_panels.register(online_class_panel)
        route_panels.register(route_offers_panel)
