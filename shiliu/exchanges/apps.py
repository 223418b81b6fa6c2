from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangesConfig(AppConfig):
    name = "shiliu.exchanges"
    label = "exchanges"
    verbose_name = _("Exchanges")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import Activity, Participation

        auditlog.register(Activity)
        auditlog.register(Participation)
