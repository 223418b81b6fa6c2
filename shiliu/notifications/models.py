"""In-app notifications (reminders of deadlines, proposals awaiting an answer)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    text = models.CharField(_("text"), max_length=300)
    link = models.CharField(_("link"), max_length=300, blank=True)
    # Makes reminders idempotent: the same reminder is never sent twice to the same person.
    key = models.CharField(max_length=120)
    # What the notice is about: a kind registered in :mod:`shiliu.notifications.kinds` (proposals to answer, action
    # items …) and the id of its record. The list groups by kind and reads the record's current facts (deadline,
    # status, title) when it shows the notice, so ``text`` is only the fallback for a record that is gone.
    kind = models.CharField(_("kind"), max_length=40, blank=True, default="")
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_key")]
        indexes = [models.Index(fields=["kind", "target_id"], name="notification_target")]

    def __str__(self) -> str:
        return self.text
