from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "shiliu.orgs"
    label = "orgs"
    verbose_name = _("Units")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import Organization

        auditlog.register(Organization)
