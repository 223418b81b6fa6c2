"""The desk's configuration as scoped services: routing rules for commission staff (inside their jurisdiction) and
platform administrators; SLA rules and the desk settings are national, so platform administrators only.

Every change is audited: django-auditlog is registered on these models and records the actor of the request.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from shiliu.jurisdiction.roles import STAFF_ROLES, Role
from shiliu.jurisdiction.scope import scope_for
from shiliu.orgs.models import Organization
from shiliu.regions.models import Region

from .models import DeskSettings, RequestCategory, RoutingRule, SlaRule


def _require_staff(actor: Any) -> None:
    if getattr(actor, "role", None) not in STAFF_ROLES or scope_for(actor).prefix == "\x00":
        raise PermissionDenied(_("Your role does not give access to this page."))


def _require_admin(actor: Any) -> None:
    if getattr(actor, "role", None) != Role.PLATFORM_ADMIN:
        raise PermissionDenied(_("Only platform administrators may change national rules."))


def routing_rules_for(user: Any) -> QuerySet[RoutingRule]:
    """The routing rules of the regions inside the user's jurisdiction (nothing for other roles)."""
    if getattr(user, "role", None) not in STAFF_ROLES:
        return RoutingRule.objects.none()
    scope = scope_for(user)
    return (
        RoutingRule.objects.filter(scope.q("region"))
        .select_related("region", "unit")
        .order_by("region_id", "category", "pk")
    )


def routing_rule_get(*, user: Any, pk: int) -> RoutingRule:
    """One rule of the user's jurisdiction; another jurisdiction's rule is not found (404)."""
    rule = routing_rules_for(user).filter(pk=pk).first()
    if rule is None:
        raise Http404
    return rule


@transaction.atomic
def routing_rule_save(
    *,
    actor: Any,
    region: Region | str | None,
    category: str,
    unit: Organization | int | None,
    rule: RoutingRule | None = None,
) -> RoutingRule:
    """Create (``rule`` None) or change a routing rule. Region and unit must lie in the actor's jurisdiction and
    the unit in the rule's region; one rule per region × category."""
    _require_staff(actor)
    scope = scope_for(actor)
    if rule is not None and not scope.covers(rule.region_id):
        raise Http404
    errors: dict[str, str] = {}
    if isinstance(region, str):
        region = Region.objects.filter(code=region).first()
    if region is None:
        errors["region"] = _("Unknown region.")
    elif not scope.covers(region.code):
        errors["region"] = _("This region is outside your jurisdiction.")
    if category not in RequestCategory.values and category != "":
        errors["category"] = _("Unknown category.")
    if isinstance(unit, int):
        unit = Organization.objects.filter(pk=unit, is_active=True).first()
    if unit is None or not unit.is_active:
        errors["unit"] = _("Unknown unit.")
    elif region is not None and "region" not in errors and not unit.region_id.startswith(region.code):
        errors["unit"] = _("The unit must lie in the rule's region.")
    if not errors and region is not None:
        clash = RoutingRule.objects.filter(region=region, category=category)
        if rule is not None:
            clash = clash.exclude(pk=rule.pk)
        if clash.exists():
            errors["category"] = _("This region already has a rule for this category.")
    if errors:
        raise ValidationError(errors)
    target = rule if rule is not None else RoutingRule()
    target.region = region  # type: ignore[assignment]
    target.category = category
    target.unit = unit  # type: ignore[assignment]
    target.save()
    return target


@transaction.atomic
def routing_rule_delete(*, actor: Any, rule: RoutingRule) -> None:
    _require_staff(actor)
    if not scope_for(actor).covers(rule.region_id):
        raise Http404
    rule.delete()


@transaction.atomic
def sla_rule_save(*, actor: Any, rule: SlaRule, sign_minutes: int, answer_minutes: int) -> SlaRule:
    """Change an SLA rule's working minutes (platform administrators: the rules are national)."""
    _require_admin(actor)
    errors: dict[str, str] = {}
    if sign_minutes <= 0:
        errors["sign_minutes"] = _("Enter a number of minutes greater than 0.")
    if answer_minutes <= 0:
        errors["answer_minutes"] = _("Enter a number of minutes greater than 0.")
    if errors:
        raise ValidationError(errors)
    rule.sign_minutes = sign_minutes
    rule.answer_minutes = answer_minutes
    rule.save()
    return rule


@transaction.atomic
def desk_settings_save(*, actor: Any, values: dict[str, Any]) -> DeskSettings:
    """Change the desk settings (platform administrators). The composite score divides by the weights' sum, so at
    least one weight must be above 0."""
    _require_admin(actor)
    desk = DeskSettings.current()
    for name, value in values.items():
        setattr(desk, name, value)
    weights = desk.weight_resolution + desk.weight_satisfaction + desk.weight_on_time
    errors: dict[str, str] = {}
    if weights <= 0:
        errors["weight_resolution"] = _("At least one weight must be greater than 0.")
    if not 0 <= desk.followup_percent <= 100:
        errors["followup_percent"] = _("Enter a share between 0 and 100.")
    if not 0 <= desk.amber_percent <= 100:
        errors["amber_percent"] = _("Enter a share between 0 and 100.")
    if errors:
        raise ValidationError(errors)
    desk.save()
    return desk
