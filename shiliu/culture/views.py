"""Pages of the library: the working pages (login, records readers; staff of the region edit) and the public
pages (no login: only items marked public, only their public fields)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from shiliu.jurisdiction.decorators import roles_required
from shiliu.jurisdiction.roles import RECORD_READERS, STAFF_ROLES
from shiliu.jurisdiction.scope import scope_for
from shiliu.lib.confirm import confirmation
from shiliu.lib.downloads import file_response
from shiliu.lib.forms import attach_errors

from . import selectors, services
from .forms import BearerForm, ExhibitionForm, ItemForm, MediaForm, SearchForm, VenueForm
from .models import Exhibition, Item

PAGE_SIZE = 20
MAX_PAGE = 5000
readers = roles_required(*RECORD_READERS)
staff = roles_required(*STAFF_ROLES)


def _search_context(request: HttpRequest, *, public: bool) -> dict[str, Any]:
    form = SearchForm(request.GET or None)
    filters = form.filters()
    try:
        # Capped: a huge page number would overflow the database's integer (a 500 instead of an empty page).
        page_number = min(MAX_PAGE, max(1, int(request.GET.get("page", "1"))))
    except ValueError:
        page_number = 1
    result = selectors.item_search(
        user=request.user, public=public, limit=PAGE_SIZE, offset=(page_number - 1) * PAGE_SIZE, **filters
    )
    query = request.GET.copy()
    query.pop("page", None)
    pages = max(1, (result.count + PAGE_SIZE - 1) // PAGE_SIZE)
    return {
        "form": form,
        "result": result,
        "filters": filters,
        "query": query.urlencode(),
        "page_number": page_number,
        "pages": pages,
        "has_next": page_number < pages,
        "facet_links": _facet_links(request, result),
    }


def _facet_links(
    request: HttpRequest, result: selectors.SearchResult
) -> list[tuple[str, str, list[dict[str, Any]]]]:
    """Each facet's values as links that add (or, when chosen, remove) the value from the current query."""
    titles = {
        "region": _("Region"),
        "ethnic_group": _("Ethnic group"),
        "category": pgettext("heritage", "Category"),
        "level": _("Level"),
    }
    out = []
    for key, facets in result.facets.items():
        links = []
        for f in facets:
            query = request.GET.copy()
            query.pop("page", None)
            chosen = query.get(key) == f.value
            if chosen:
                query.pop(key)
            else:
                query[key] = f.value
            links.append(
                {"label": f.label or f.value, "count": f.count, "chosen": chosen, "query": query.urlencode()}
            )
        if links:
            out.append((key, str(titles[key]), links))
    return out


@login_required
@readers
def home(request: HttpRequest) -> HttpResponse:
    context = _search_context(request, public=False)
    context["can_add"] = scope_for(request.user).is_staff
    return render(request, "culture/home.html", context)


@login_required
@readers
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_get(user=request.user, pk=pk)
    context = {
        "item": item,
        "media": item.media.all(),
        "bearers": item.bearers.all(),
        "groups": item.ethnic_groups.all(),
        "exhibitions": item.exhibitions.all(),
        "can_edit": selectors.can_edit(user=request.user, item=item),
        "media_form": MediaForm(),
        "bearer_form": BearerForm(),
    }
    return render(request, "culture/item.html", context)


def _item_form(request: HttpRequest, item: Item | None) -> HttpResponse:
    form = ItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        groups = data.pop("ethnic_groups")
        try:
            saved = services.item_save(actor=request.user, data=data, ethnic_groups=groups, item=item)
        except (ValidationError, PermissionDenied) as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("culture:item", pk=saved.pk)
    title = _("New library item") if item is None else _("Edit %(title)s") % {"title": item.title}
    return render(
        request,
        "culture/form.html",
        {"form": form, "title": title, "cancel": request.path},
        status=400 if form.errors else 200,
    )


@login_required
@staff
def item_new(request: HttpRequest) -> HttpResponse:
    return _item_form(request, None)


@login_required
@staff
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_get(user=request.user, pk=pk)
    if not selectors.can_edit(user=request.user, item=item):
        raise PermissionDenied(_("Only commission staff of this region may change the library."))
    return _item_form(request, item)


@login_required
@staff
def media_add(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_get(user=request.user, pk=pk)
    form = MediaForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.media_add(
                actor=request.user,
                item=item,
                kind=data["kind"],
                upload=data["upload"],
                url=data["url"],
                caption=data["caption"],
                credit=data["credit"],
            )
        except (ValidationError, PermissionDenied) as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("The medium was added."))
            return redirect("culture:item", pk=item.pk)
    title = _("Add a medium to %(title)s") % {"title": item.title}
    context = {"form": form, "title": title, "cancel": item_url(item)}
    return render(request, "culture/form.html", context, status=400 if form.errors else 200)


@login_required
@staff
def bearer_add(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_get(user=request.user, pk=pk)
    form = BearerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.bearer_add(actor=request.user, item=item, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("The bearer was added."))
            return redirect("culture:item", pk=item.pk)
    title = _("Add a bearer to %(title)s") % {"title": item.title}
    context = {"form": form, "title": title, "cancel": item_url(item)}
    return render(request, "culture/form.html", context, status=400 if form.errors else 200)


def item_url(item: Item) -> str:
    from django.urls import reverse

    return reverse("culture:item", args=[item.pk])


def media_file(request: HttpRequest, pk: int, variant: str = "file") -> HttpResponse:
    """A medium's file or thumbnail: anyone for a public item, the item's jurisdiction otherwise (404 to others,
    so nobody learns what exists)."""
    media = selectors.media_for_viewer(user=request.user, pk=pk)
    stored = media.thumbnail if variant == "thumb" and media.thumbnail else media.file
    if not stored:
        from django.http import Http404

        raise Http404
    response = file_response(stored)
    response["Content-Disposition"] = "inline" if media.kind == "image" else "attachment"
    response["Cache-Control"] = "public, max-age=3600" if media.item.is_public else "private, no-store"
    return response


# --- Exhibitions ---


@login_required
@readers
def exhibitions(request: HttpRequest) -> HttpResponse:
    rows = selectors.exhibitions_visible(user=request.user)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "culture/exhibitions.html", {"page": page, "can_add": scope_for(request.user).is_staff}
    )


@login_required
@readers
def exhibition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    exhibition = selectors.exhibition_get(user=request.user, pk=pk)
    venues = exhibition.venues.select_related("region")
    context = {
        "exhibition": exhibition,
        "venues": venues,
        "visitors": sum(v.visitors for v in venues),
        "items": selectors.items_visible(user=request.user)
        .filter(exhibitions=exhibition)
        .select_related("region")[:100],
        "can_edit": selectors.can_edit(user=request.user, item=exhibition),
    }
    return render(request, "culture/exhibition.html", context)


@login_required
@staff
def exhibition_new(request: HttpRequest) -> HttpResponse:
    form = ExhibitionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            exhibition = services.exhibition_save(actor=request.user, data=form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            attach_errors(form, exc)
        else:
            return redirect("culture:exhibition", pk=exhibition.pk)
    context = {"form": form, "title": _("New exhibition or collection"), "cancel": request.path}
    return render(request, "culture/form.html", context, status=400 if form.errors else 200)


@login_required
@staff
def exhibition_edit(request: HttpRequest, pk: int) -> HttpResponse:
    exhibition: Exhibition = selectors.exhibition_get(user=request.user, pk=pk)
    if not selectors.can_edit(user=request.user, item=exhibition):
        raise PermissionDenied(_("Only commission staff of this region may change the library."))
    form = ExhibitionForm(request.POST or None, instance=exhibition)
    if request.method == "POST" and form.is_valid():
        try:
            services.exhibition_save(actor=request.user, data=form.cleaned_data, exhibition=exhibition)
        except (ValidationError, PermissionDenied) as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("culture:exhibition", pk=exhibition.pk)
    back = reverse("culture:exhibition", args=[exhibition.pk])
    context = {"form": form, "title": _("Edit %(title)s") % {"title": exhibition.title}, "cancel": back}
    return render(request, "culture/form.html", context, status=400 if form.errors else 200)


@login_required
@staff
@require_POST
def exhibition_delete(request: HttpRequest, pk: int) -> HttpResponse:
    exhibition: Exhibition = selectors.exhibition_get(user=request.user, pk=pk)
    if not selectors.can_edit(user=request.user, item=exhibition):
        raise PermissionDenied(_("Only commission staff of this region may change the library."))
    asking = confirmation(
        request,
        title=_("Delete %(title)s?") % {"title": exhibition.title},
        consequences=[
            _("The exhibition and its %(n)d venues are deleted; its items stay in the library.")
            % {"n": exhibition.venues.count()},
            _("This cannot be undone."),
        ],
        confirm_label=_("Delete"),
        back_url=reverse("culture:exhibition", args=[exhibition.pk]),
    )
    if asking is not None:
        return asking
    services.exhibition_delete(actor=request.user, exhibition=exhibition)
    messages.success(request, _("Deleted."))
    return redirect("culture:exhibitions")


@login_required
@staff
def venue_add(request: HttpRequest, pk: int) -> HttpResponse:
    exhibition: Exhibition = selectors.exhibition_get(user=request.user, pk=pk)
    form = VenueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.venue_add(actor=request.user, exhibition=exhibition, data=form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("The venue was added."))
            return redirect("culture:exhibition", pk=exhibition.pk)
    title = _("Add a venue to %(title)s") % {"title": exhibition.title}
    context = {"form": form, "title": title, "cancel": request.path}
    return render(request, "culture/form.html", context, status=400 if form.errors else 200)


# --- Public pages (no login) ---


def public_gallery(request: HttpRequest) -> HttpResponse:
    context = _search_context(request, public=True)
    context["exhibitions"] = selectors.exhibitions_public()[:6]
    return render(request, "culture/public_gallery.html", context)


def public_item(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_public_get(pk=pk)
    context = {
        "item": item,
        "media": item.media.all(),
        "bearers": item.bearers.all(),
        "groups": item.ethnic_groups.all(),
    }
    return render(request, "culture/public_item.html", context)


def public_exhibition(request: HttpRequest, pk: int) -> HttpResponse:
    exhibition = selectors.exhibition_public_get(pk=pk)
    context = {
        "exhibition": exhibition,
        "venues": exhibition.venues.select_related("region"),
        "items": selectors.items_public().filter(exhibitions=exhibition).select_related("region")[:100],
    }
    return render(request, "culture/public_exhibition.html", context)


def public_map(request: HttpRequest) -> HttpResponse:
    provinces = selectors.region_counts_public()
    context = {
        "provinces": provinces,
        "prefectures": selectors.prefecture_counts_public(),
        "chart": {"rows": [{"name": map_name(p["name"]), "value": p["count"]} for p in provinces]},
    }
    return render(request, "culture/public_map.html", context)


def map_name(province: str) -> str:
    """A province's name as the bundled map spells it (新疆维吾尔自治区 → 新疆, 江苏省 → 江苏)."""
    for long, short in (
        ("内蒙古", "内蒙古"),
        ("广西", "广西"),
        ("西藏", "西藏"),
        ("宁夏", "宁夏"),
        ("新疆", "新疆"),
    ):
        if province.startswith(long):
            return short
    for suffix in ("特别行政区", "省", "市"):
        if province.endswith(suffix):
            return province[: -len(suffix)]
    return province
