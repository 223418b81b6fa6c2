"""The roles a user can have. A role and a division code together make a user's scope (see ``scope``)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PLATFORM_ADMIN = "platform_admin", _("Platform administrator")
    COMMISSION_STAFF = "commission_staff", _("Commission staff")
    UNIT_COORDINATOR = "unit_coordinator", _("Unit coordinator")
    RESIDENT = "resident", _("Resident")


# Roles that speak for a region (a commission) rather than for one unit.
STAFF_ROLES = (Role.PLATFORM_ADMIN, Role.COMMISSION_STAFF)
# The roles that read the records of the Three Plans (units, pairings, exchanges), on pages and the API alike.
# Residents use the resident services only.
RECORD_READERS = (Role.PLATFORM_ADMIN, Role.COMMISSION_STAFF, Role.UNIT_COORDINATOR)
