from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "shiliu.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from shiliu.notifications.reminders import register as register_reminder

        from . import dashboard, models, panels
        from .tasks import run_schedules

        panels.register(dashboard.exchange_panels)
        from django.apps import apps

        from . import modules

        if apps.is_installed("shiliu.residents"):
            panels.register(modules.requests_panel)
            panels.register(modules.volunteer_panel)
        register_reminder("report_schedules", run_schedules)  # run by the worker's daily reminders
        for model in (models.SentenceTemplate, models.ReportRun, models.ReportApproval):
            auditlog.register(model)
