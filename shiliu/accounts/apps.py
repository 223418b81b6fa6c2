from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "shiliu.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import User

        # senior_mode is a display preference, not a change to who may do what: it would only bury real changes.
        auditlog.register(User, exclude_fields=["password", "last_login", "senior_mode"])
