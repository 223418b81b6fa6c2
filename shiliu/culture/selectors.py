"""Reads of the library. Two audiences, two doors:

- the *working* pages and API read what the user's jurisdiction covers (``Item.objects.visible_to``);
- the *public* pages and public API read only items marked public, and only their public fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Substr
from django.http import Http404

from shiliu.jurisdiction.scope import scope_for, under
from shiliu.regions.models import EthnicGroup, Region

from . import search
from .models import Category, Exhibition, HeritageLevel, Item, Media, Visibility

PUBLIC_FIELDS = (
    "id",
    "kind",
    "title",
    "category",
    "level",
    "heritage_number",
    "region_id",
    "summary",
    "creators",
    "created_from",
    "created_to",
    "licence",
    "credit",
    "visibility",
    "updated_at",
)


def items_visible(*, user: Any) -> QuerySet[Item]:
    return Item.objects.visible_to(user)


def items_public() -> QuerySet[Item]:
    return Item.objects.filter(visibility=Visibility.PUBLIC).only(*PUBLIC_FIELDS)


def item_get(*, user: Any, pk: int) -> Item:
    item = items_visible(user=user).select_related("region", "organization").filter(pk=pk).first()
    if item is None:
        raise Http404
    return item


def item_public_get(*, pk: int) -> Item:
    item = items_public().select_related("region").filter(pk=pk).first()
    if item is None:
        raise Http404
    return item


def can_edit(*, user: Any, item: Item | Exhibition) -> bool:
    scope = scope_for(user)
    return scope.is_staff and scope.covers(item.region_id)


def media_for_viewer(*, user: Any, pk: int) -> Media:
    """A medium the viewer may fetch: of a public item for anyone, otherwise of an item in their jurisdiction."""
    media = Media.objects.select_related("item").filter(pk=pk).first()
    if media is None:
        raise Http404
    if media.item.visibility == Visibility.PUBLIC:
        return media
    if not items_visible(user=user).filter(pk=media.item_id).exists():
        raise Http404
    return media


@dataclass
class Facet:
    value: str
    label: str
    count: int


@dataclass
class SearchResult:
    items: list[Item]
    count: int
    facets: dict[str, list[Facet]] = field(default_factory=dict)
    terms: list[str] = field(default_factory=list)


def _filtered(
    base: QuerySet[Item], *, region: str, ethnic_group: str, category: str, level: str, kind: str
) -> QuerySet[Item]:
    qs = base
    if region:
        qs = qs.filter(under("region", region))
    if ethnic_group:
        qs = qs.filter(ethnic_groups=ethnic_group)
    if category:
        qs = qs.filter(category=category)
    if level:
        qs = qs.filter(level=level)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def _facets(matching: QuerySet[Item]) -> dict[str, list[Facet]]:
    ids = matching.values("id")
    regions = (
        matching.order_by()
        .annotate(pref=Substr("region_id", 1, 4))
        .values("pref")
        .annotate(n=Count("id"))
        .order_by("-n")[:20]
    )
    names = dict(Region.objects.filter(code__in=[r["pref"] for r in regions]).values_list("code", "name"))
    groups = (
        Item.ethnic_groups.through.objects.filter(item_id__in=ids)
        .values("ethnicgroup_id")
        .annotate(n=Count("id"))
        .order_by("-n")[:20]
    )
    group_names = dict(
        EthnicGroup.objects.filter(code__in=[g["ethnicgroup_id"] for g in groups]).values_list("code", "name")
    )
    categories = (
        matching.order_by().exclude(category="").values("category").annotate(n=Count("id")).order_by("-n")
    )
    levels = matching.order_by().exclude(level="").values("level").annotate(n=Count("id")).order_by("-n")
    category_labels, level_labels = dict(Category.choices), dict(HeritageLevel.choices)
    return {
        "region": [Facet(r["pref"], names.get(r["pref"], r["pref"]), r["n"]) for r in regions],
        "ethnic_group": [
            Facet(g["ethnicgroup_id"], group_names.get(g["ethnicgroup_id"], ""), g["n"]) for g in groups
        ],
        "category": [
            Facet(c["category"], str(category_labels.get(c["category"], "")), c["n"]) for c in categories
        ],
        "level": [Facet(lv["level"], str(level_labels.get(lv["level"], "")), lv["n"]) for lv in levels],
    }


def item_search(
    *,
    user: Any = None,
    public: bool = False,
    query: str = "",
    region: str = "",
    ethnic_group: str = "",
    category: str = "",
    level: str = "",
    kind: str = "",
    limit: int = 20,
    offset: int = 0,
    facets: bool = True,
) -> SearchResult:
    """Items matching the query (every word, as a prefix, in Chinese, pinyin or initials) and the facet filters,
    best first; with a count and facet counts over all matches. ``public`` searches the public items only."""
    base = items_public() if public else items_visible(user=user)
    qs = _filtered(base, region=region, ethnic_group=ethnic_group, category=category, level=level, kind=kind)
    terms = search.query_terms(query)
    if terms:
        match, params = search.match_sql(terms)
        matching = qs.filter(id__in=RawSQL(match, params))  # noqa: S611 - constant SQL, the query is a parameter
        candidates_sql, candidates_params = qs.order_by().values("id").query.sql_with_params()
        ids = search.ranked_ids(terms, candidates_sql, list(candidates_params), limit=limit, offset=offset)
        by_id = {i.pk: i for i in base.model.objects.filter(pk__in=ids).select_related("region")}
        page = [by_id[i] for i in ids if i in by_id]
    else:
        matching = qs
        page = list(qs.select_related("region").order_by("title", "id")[offset : offset + limit])
    result = SearchResult(items=page, count=matching.count(), terms=terms)
    if facets:
        result.facets = _facets(matching)
    return result


def region_counts_public() -> list[dict[str, Any]]:
    """Public items per province (for the public map) and per prefecture."""
    rows = (
        items_public()
        .order_by()
        .annotate(prov=Substr("region_id", 1, 2))
        .values("prov")
        .annotate(n=Count("id"))
        .order_by("prov")
    )
    names = dict(Region.objects.filter(code__in=[r["prov"] for r in rows]).values_list("code", "name"))
    return [{"code": r["prov"], "name": names.get(r["prov"], r["prov"]), "count": r["n"]} for r in rows]


def prefecture_counts_public() -> list[dict[str, Any]]:
    rows = (
        items_public()
        .order_by()
        .annotate(pref=Substr("region_id", 1, 4))
        .values("pref")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    names = dict(Region.objects.filter(code__in=[r["pref"] for r in rows]).values_list("code", "name"))
    return [{"code": r["pref"], "name": names.get(r["pref"], r["pref"]), "count": r["n"]} for r in rows]


def exhibitions_visible(*, user: Any) -> QuerySet[Exhibition]:
    return Exhibition.objects.visible_to(user).select_related("region").annotate(n_items=Count("items"))


def exhibition_get(*, user: Any, pk: int) -> Exhibition:
    exhibition = Exhibition.objects.visible_to(user).select_related("region").filter(pk=pk).first()
    if exhibition is None:
        raise Http404
    return exhibition


def exhibitions_public() -> QuerySet[Exhibition]:
    return Exhibition.objects.filter(visibility=Visibility.PUBLIC).select_related("region")


def exhibition_public_get(*, pk: int) -> Exhibition:
    exhibition = exhibitions_public().filter(pk=pk).first()
    if exhibition is None:
        raise Http404
    return exhibition


def public_media(item: Item) -> QuerySet[Media]:
    return item.media.all()


def visibility_filter_q(public: bool) -> Q:
    return Q(visibility=Visibility.PUBLIC) if public else Q()
