"""Writes to units. Each service validates scope and data, runs in one transaction and leaves an audit trail
(django-auditlog records every create, update and delete with the acting user)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from shiliu.jurisdiction.scope import scope_for
from shiliu.lib.audit import log_access
from shiliu.regions.models import Level, Region
from shiliu.regions.pinyin import place_pinyin

from .models import Organization

EDITABLE_FIELDS = (
    "name",
    "kind",
    "region",
    "parent",
    "address",
    "contact_name",
    "contact_phone",
    "email",
    "description",
    "locality",
    "stage",
    "headcount",
    "is_active",
)


def _check_placement(
    *, actor: Any, region: Region | None, parent: Organization | None, unit: Organization
) -> None:
    scope = scope_for(actor)
    errors: dict[str, str] = {}
    if region is None:
        errors["region"] = _("Choose a region.")
    elif not scope.covers(region.code):
        errors["region"] = _("This region is outside your jurisdiction.")
    elif region.level in (Level.PROVINCE,) and unit.kind not in (
        "commission",
        "agency",
        "aid_command",
        "social_org",
    ):
        errors["region"] = _(
            "Schools, hospitals, communities and the like must sit in a prefecture or below."
        )
    if parent is not None:
        if unit.pk is not None and parent.pk == unit.pk:
            errors["parent"] = _("A unit cannot be its own parent.")
        elif not Organization.objects.visible_to(actor).filter(pk=parent.pk).exists():
            errors["parent"] = _("The parent unit is outside your jurisdiction.")
        elif unit.pk is not None:
            ancestor: Organization | None = parent
            hops = 0
            while ancestor is not None and hops < 50:
                if ancestor.pk == unit.pk:
                    errors["parent"] = _("This parent would create a cycle.")
                    break
                ancestor = ancestor.parent
                hops += 1
    if errors:
        raise ValidationError(errors)


def _apply(unit: Organization, data: dict[str, Any]) -> None:
    for field in EDITABLE_FIELDS:
        if field in data:
            setattr(unit, field, data[field])
    unit.pinyin, unit.initials = place_pinyin(unit.name)


@transaction.atomic
def organization_create(*, actor: Any, data: dict[str, Any]) -> Organization:
    """Create a unit inside the actor's jurisdiction. Coordinators cannot create units."""
    scope = scope_for(actor)
    if scope.role not in ("platform_admin", "commission_staff"):
        raise PermissionDenied(_("Only commission staff can add units."))
    unit = Organization()
    _apply(unit, data)
    _check_placement(actor=actor, region=data.get("region"), parent=data.get("parent"), unit=unit)
    unit.full_clean()
    _save(unit)
    return unit


@transaction.atomic
def organization_update(*, actor: Any, organization: Organization, data: dict[str, Any]) -> Organization:
    """Change a unit the actor may edit. Moving it is checked against the actor's scope too."""
    locked = Organization.objects.editable_by(actor).select_for_update().filter(pk=organization.pk).first()
    if locked is None:
        raise PermissionDenied(_("You may not change this unit."))
    if scope_for(actor).role == "unit_coordinator":
        # Coordinators keep their unit where it is: placement is the commission's decision.
        data = {k: v for k, v in data.items() if k not in ("region", "parent", "kind", "is_active")}
    _apply(locked, data)
    _check_placement(actor=actor, region=locked.region, parent=locked.parent, unit=locked)
    locked.full_clean()
    _save(locked)
    return locked


def _save(unit: Organization) -> None:
    """Save; a unit of the same name in the same region, saved at the same moment by someone else, gets the same
    refusal as one saved earlier (the database's unique constraint caught it, the model's check now sees it)."""
    try:
        with transaction.atomic():
            unit.save()
    except IntegrityError:
        unit.validate_constraints()
        raise


def organization_phone_reveal(*, actor: Any, unit: Organization) -> str:
    """The unit's contact phone in full, for someone who may see the unit; the view is logged (personal data)."""
    log_access(actor=actor, record=unit, purpose="reveal", fields=("contact_phone",))
    return unit.contact_phone
