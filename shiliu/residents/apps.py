from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResidentsConfig(AppConfig):
    name = "shiliu.residents"
    label = "residents"
    verbose_name = _("Migrant residents")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from shiliu.lib.crypto import register_field

        from . import models

        # Changes are logged with the encrypted columns and hashes left out: the log never holds them, not even as
        # ciphertext (a log kept longer than the keys must not become a store of ID numbers).
        secret = ["id_number_encrypted", "id_number_hash", "phone_encrypted"]
        auditlog.register(models.Resident, exclude_fields=secret)
        auditlog.register(models.Consent)
        auditlog.register(models.Handover)
        for field in models.ENCRYPTED_FIELDS:
            register_field(field)

        from .livelihood.apps import livelihood_ready

        livelihood_ready()
