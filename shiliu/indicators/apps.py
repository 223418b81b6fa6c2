from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "shiliu.indicators"
    label = "indicators"
    verbose_name = _("Indicators")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import derivation, models

        for model in (
            models.DataElement,
            models.DataValue,
            models.PeriodReturn,
            models.Indicator,
            models.IndicatorSystem,
            models.SystemNode,
            models.EvaluationRun,
            models.EmbeddedRuleSetting,
            models.DemonstrationSite,
            models.Recognition,
        ):
            auditlog.register(model)
        derivation.register_builtin_sources()
