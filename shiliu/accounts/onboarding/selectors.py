"""Scoped reads of onboarding: the invitations and accounts a commission sees are those of its jurisdiction."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from shiliu.jurisdiction.roles import Role
from shiliu.jurisdiction.scope import scope_for
from shiliu.regions.pinyin import normalise_query

from ..models import Invitation, User


def invitations_visible(*, user: Any, status: str = "") -> list[Invitation]:
    """Invitations into the user's jurisdiction (staff and admins only), newest first, optionally by status."""
    scope = scope_for(user)
    if not scope.is_staff:
        return []
    qs = (
        Invitation.objects.filter(scope.q("region"))
        .select_related("region", "organization", "invited_by", "user", "replaces")
        .order_by("-created_at", "-pk")
    )
    found = list(qs[:500])
    return [i for i in found if i.status == status] if status else found


def invitation_get(*, user: Any, pk: int) -> Invitation:
    scope = scope_for(user)
    invitation = Invitation.objects.filter(scope.q("region"), pk=pk).first() if scope.is_staff else None
    if invitation is None:
        raise Http404
    return invitation


def accounts_manageable(*, user: Any, query: str = "", role: str = "") -> QuerySet[User]:
    """Accounts within the user's jurisdiction (never above or beside it), administrators left out."""
    scope = scope_for(user)
    if not scope.is_staff:
        return User.objects.none()
    qs = (
        User.objects.filter(scope.q("region"))
        .exclude(role=Role.PLATFORM_ADMIN)
        .select_related("region", "organization")
        .order_by("region_id", "role", "username")
    )
    if role:
        qs = qs.filter(role=role)
    text = query.strip()
    if text:
        qs = qs.filter(
            Q(username__icontains=text)
            | Q(display_name__icontains=text)
            | Q(organization__name__icontains=text)
            | (Q(organization__pinyin__contains=normalise_query(text)) if text.isascii() else Q(pk__in=[]))
        )
    return qs


def account_get(*, user: Any, pk: int) -> User:
    account = accounts_manageable(user=user).filter(pk=pk).first()
    if account is None:
        raise Http404
    return account
