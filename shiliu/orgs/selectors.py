"""Scoped reads of units. Every list, detail, export and API call goes through these."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from shiliu.regions.pinyin import normalise_query

from .models import Organization


def organization_list(
    *, user: Any, query: str = "", kind: str = "", region: str = ""
) -> QuerySet[Organization]:
    """Units visible to ``user``, filtered by a name/pinyin query, a unit type and a division code prefix."""
    qs = Organization.objects.visible_to(user).select_related("region", "parent")
    if kind:
        qs = qs.filter(kind=kind)
    if region:
        qs = qs.in_region(region)
    text = query.strip()
    if text:
        if text.isascii():
            needle = normalise_query(text)
            qs = qs.filter(
                Q(pinyin__contains=needle) | Q(initials__startswith=needle) | Q(name__icontains=text)
            )
        else:
            qs = qs.filter(name__contains=text)
    return qs


def organization_get(*, user: Any, pk: int) -> Organization:
    """One unit the user may see; anything else is a 404, so nobody learns what exists outside their scope."""
    try:
        return Organization.objects.visible_to(user).select_related("region", "parent").get(pk=pk)
    except (Organization.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def organization_can_edit(*, user: Any, organization: Organization) -> bool:
    return Organization.objects.editable_by(user).filter(pk=organization.pk).exists()


def organization_kind_counts(*, user: Any) -> list[dict[str, Any]]:
    return list(
        Organization.objects.visible_to(user).values("kind").annotate(n=Count("id")).order_by("-n", "kind")
    )


def organization_parent_choices(*, user: Any) -> QuerySet[Organization]:
    """Units that may be chosen as a parent: those the user can see."""
    return Organization.objects.visible_to(user).only("id", "name", "region_id").order_by("name")
