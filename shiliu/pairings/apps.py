from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PairingsConfig(AppConfig):
    name = "shiliu.pairings"
    label = "pairings"
    verbose_name = _("Pairings")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import ActionItem, Agreement, JointMeeting, Pairing

        for model in (Pairing, Agreement, JointMeeting, ActionItem):
            auditlog.register(model)

        from shiliu.notifications.reminders import register

        from .tasks import remind_action_items

        register("action_items", remind_action_items)

        from . import notices, workbench

        notices.register()
        workbench.register()
