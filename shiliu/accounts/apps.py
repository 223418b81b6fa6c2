from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "shiliu.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from auditlog.models import LogEntry
        from auditlog.registry import auditlog
        from django.db.models.signals import pre_save

        from .audit import fill_actor
        from .models import ApiToken, Invitation, User

        # senior_mode is a display preference, not a change to who may do what: it would only bury real changes.
        auditlog.register(User, exclude_fields=["password", "last_login", "senior_mode"])
        auditlog.register(ApiToken, exclude_fields=["key_hash", "last_used_at"])
        # Invitations are logged (who invited whom, sent again, withdrawn, accepted); the link's hash never is.
        auditlog.register(Invitation, exclude_fields=["key_hash"])
        pre_save.connect(fill_actor, sender=LogEntry, dispatch_uid="shiliu-audit-actor")
