from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "shiliu.orgs"
    label = "orgs"
    verbose_name = _("Units")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import Organization

        # Changes of a contact phone are logged masked like everywhere else (138****5678), never in clear.
        auditlog.register(
            Organization, mask_fields=["contact_phone"], mask_callable="shiliu.orgs.models.mask_phone"
        )
