"""Pages of the indicators app. Record pages are for the roles that read records; a region or record outside the
user's jurisdiction is a 404 (selectors decide). The public lists need no login."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shiliu.jurisdiction.decorators import acting_user, roles_required
from shiliu.jurisdiction.roles import RECORD_READERS
from shiliu.jurisdiction.scope import scope_for
from shiliu.lib import clock
from shiliu.lib.confirm import confirmation
from shiliu.lib.downloads import xlsx_response
from shiliu.lib.forms import attach_errors
from shiliu.regions.models import EthnicGroup, Region

from . import derivation, embedding, evaluation, imports, periods, selectors, services
from .compute import Calculator
from .forms import (
    ChooseEntryForm,
    EmbeddingForm,
    EntryForm,
    IndicatorForm,
    ReasonForm,
    RecognitionForm,
    RuleForm,
    RunForm,
    SiteForm,
    UploadForm,
    group_field,
)
from .models import (
    DataValue,
    DerivationJob,
    Indicator,
    IndicatorSystem,
    ReturnStatus,
    RunStatus,
    SystemNode,
    ValueImport,
    WeightMethod,
)

readers = roles_required(*RECORD_READERS)
DEFAULT_GROUPS = (
    "01",
    "03",
    "05",
    "17",
)  # 汉族, 回族, 维吾尔族, 哈萨克族: rows shown before any value exists


def _default_period() -> str:
    return periods.recent("quarter", clock.today(), 2)[1]


@login_required
@readers
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    pending = selectors.returns(user=user, status=ReturnStatus.SUBMITTED)[:50]
    to_approve = [r for r in pending if services.is_level_above(user, r.region_id, r.submitted_by)]
    context = {
        "to_approve": to_approve,
        "recent_returns": selectors.returns(user=user)[:12],
        "runs": selectors.runs(user=user)[:6],
        "systems": selectors.systems(),
        "regions": selectors.region_choices(user=user) if scope_for(user).is_staff else [],
        "default_period": _default_period(),
        "can_define": services.may_define(user),
    }
    return render(request, "indicators/home.html", context)


# ------------------------------------------------------------------------------------------------ entry


def _groups_for(region: Region) -> list[tuple[str, str]]:
    codes = set(DEFAULT_GROUPS) | set(
        DataValue.objects.filter(region=region, ethnic_group__isnull=False).values_list(
            "ethnic_group_id", flat=True
        )
    )
    return list(EthnicGroup.objects.filter(code__in=codes).order_by("code").values_list("code", "name"))


@login_required
@readers
def entry(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    regions = selectors.entry_regions(user=user)
    if "region" not in request.GET:
        empty = ChooseEntryForm(regions=regions, initial={"period": _default_period()})
        return render(request, "indicators/entry_choose.html", {"form": empty})
    choose = ChooseEntryForm(request.GET, regions=regions)
    form: EntryForm
    if not choose.is_valid():
        code = request.GET.get("region", "")
        if code and not regions.filter(code=code).exists():
            raise Http404
        return render(request, "indicators/entry_choose.html", {"form": choose}, status=400)
    region = selectors.region_in_scope(user=user, code=choose.cleaned_data["region"])
    period = choose.cleaned_data["period"]
    kind = periods.period_type(period)
    elements = selectors.elements_for(region=region, period_type=kind)
    existing = {
        (v.element_id, v.ethnic_group_id): v
        for v in DataValue.objects.filter(region=region, period=period).select_related("element")
    }
    ret = (
        services.period_return(region=region, period=period)
        if request.method == "POST"
        else (selectors.returns(user=user, period=period).filter(region=region).first())
    )
    locked = ret is not None and ret.is_locked
    groups = _groups_for(region)
    form = EntryForm(request.POST or None, elements=elements, existing=existing, groups=groups, locked=locked)
    status = 200
    if request.method == "POST":
        if ret is not None and locked:
            form.add_error(
                None,
                _(
                    "The values of %(region)s for %(period)s are %(status)s and locked; ask the approver to unlock them."
                )
                % {"region": region.name, "period": period, "status": ret.get_status_display()},
            )  # type: ignore[union-attr]
            status = 400
        elif form.is_valid():
            entries = []
            for element in elements:
                if element.is_derived:
                    continue
                comment = form.cleaned_data.get(f"c_{element.code}", "")
                if element.by_ethnic_group:
                    for g, _name in groups:
                        key = group_field(element, g)
                        entries.append(services.Entry(key, element, form.cleaned_data.get(key), g, comment))
                else:
                    key = f"v_{element.code}"
                    entries.append(services.Entry(key, element, form.cleaned_data.get(key), None, comment))
            try:
                services.values_enter(
                    actor=user,
                    region=region,
                    period=period,
                    entries=entries,
                    source=form.cleaned_data["source"],
                )
            except (ValidationError, PermissionDenied) as exc:
                attach_errors(form, exc)
                status = 400
            else:
                messages.success(request, _("The values are saved."))
                return redirect(f"{reverse('indicators:entry')}?region={region.code}&period={period}")
        else:
            status = 400
    context = {
        "form": form,
        "region": region,
        "period": period,
        "ret": ret,
        "locked": locked,
        "rows": form.bound_rows(),
        "previous": periods.previous(period),
        "can_enter": services.may_enter(user, region.code),
    }
    return render(request, "indicators/entry.html", context, status=status)


@login_required
@readers
def returns(request: HttpRequest) -> HttpResponse:
    user = request.user
    period = request.GET.get("period", "")
    status = request.GET.get("status", "")
    rows = list(selectors.returns(user=user, period=period, status=status)[:200])
    for r in rows:
        above = services.is_level_above(user, r.region_id, r.submitted_by)
        r.can_submit = r.status == ReturnStatus.ENTERED and services.may_enter(user, r.region_id)  # type: ignore[attr-defined]
        r.can_approve = above and r.status in (ReturnStatus.SUBMITTED, ReturnStatus.APPROVED)  # type: ignore[attr-defined]
        r.can_unlock = r.status in (ReturnStatus.APPROVED, ReturnStatus.ACCEPTED) and (  # type: ignore[attr-defined]
            scope_for(user).is_everything
            or r.approved_by_id == user.pk
            or (r.approved_by is not None and services.is_level_above(user, r.region_id, r.approved_by))
        )
    return render(
        request,
        "indicators/returns.html",
        {"rows": rows, "period": period, "status": status, "statuses": ReturnStatus.choices},
    )


@login_required
@readers
@require_POST
def return_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = acting_user(request)
    ret = selectors.return_get(user=user, pk=pk)
    back = request.POST.get("next") or reverse("indicators:returns")
    if not back.startswith("/"):
        back = reverse("indicators:returns")
    try:
        if action == "submit":
            services.return_submit(actor=user, ret=ret)
        elif action == "approve":
            services.return_approve(actor=user, ret=ret)
        elif action == "accept":
            services.return_accept(actor=user, ret=ret)
        elif action in ("reject", "unlock"):
            form = ReasonForm(request.POST)
            if not form.is_valid():
                return render(
                    request,
                    "indicators/reason.html",
                    {"form": form, "ret": ret, "action": action},
                    status=400,
                )
            fn = services.return_reject if action == "reject" else services.return_unlock
            fn(actor=user, ret=ret, reason=form.cleaned_data["reason"])
        else:
            raise Http404
    except PermissionDenied:
        raise
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    messages.success(
        request,
        _("%(region)s %(period)s: %(status)s.")
        % {"region": ret.region.name, "period": ret.period, "status": ret.get_status_display()},
    )
    return redirect(back)


@login_required
@readers
def value_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A value with where it came from; a derived value lists the records behind it (those the user may see)."""
    value = selectors.value_get(user=request.user, pk=pk)
    records: list[tuple[str, str, str]] = []
    kind = None
    if value.derived and value.records.get("kind") in derivation.RECORD_KINDS:
        kind = derivation.RECORD_KINDS[value.records["kind"]]
        records = kind.rows(request.user, list(value.records.get("ids", [])))
    return render(request, "indicators/value.html", {"value": value, "records": records, "kind": kind})


@login_required
@readers
@require_POST
def derive(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    code = request.POST.get("region", "")
    region = selectors.region_in_scope(user=user, code=code)
    try:
        job = services.derivation_start(actor=user, region=region, period=request.POST.get("period", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("indicators:home")
    return redirect("indicators:derive_job", pk=job.pk)


@login_required
@readers
def derive_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = DerivationJob.objects.filter(pk=pk, created_by=acting_user(request)).first()
    if job is None:
        raise Http404
    return render(request, "indicators/derive_job.html", {"job": job})


# ------------------------------------------------------------------------------------------------ indicators


@login_required
@readers
def indicator_list(request: HttpRequest) -> HttpResponse:
    from .models import DataElement

    return render(
        request,
        "indicators/indicators.html",
        {
            "indicators": Indicator.objects.all(),
            "elements": DataElement.objects.all(),
            "can_define": services.may_define(request.user),
            "sources": derivation.SOURCES,
        },
    )


@login_required
@readers
def indicator_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = acting_user(request)
    if not services.may_define(user):
        raise PermissionDenied(
            _("Only a provincial commission or the platform administrator edits definitions.")
        )
    indicator = Indicator.objects.filter(pk=pk).first() if pk else None
    if pk and indicator is None:
        raise Http404
    initial = {f: getattr(indicator, f) for f in IndicatorForm.base_fields} if indicator else {}
    form = IndicatorForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.indicator_save(actor=user, data=form.cleaned_data, indicator=indicator)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("Indicator %(name)s saved.") % {"name": saved.name})
            return redirect("indicators:indicators")
    title = _("Edit indicator") if indicator else _("New indicator")
    return render(
        request,
        "indicators/form.html",
        {"form": form, "title": title, "cancel": reverse("indicators:indicators")},
        status=400 if form.errors else 200,
    )


@login_required
@readers
def explain(request: HttpRequest, code: str, region: str, period: str) -> HttpResponse:
    """How one indicator value of a region and period was computed, with each input one click away."""
    user = request.user
    area = selectors.region_in_scope(user=user, code=region)
    indicator = Indicator.objects.filter(code=code).first()
    if indicator is None:
        raise Http404
    try:
        periods.period_type(period)
    except ValueError as exc:
        raise Http404 from exc
    calc = Calculator(prefix=area.code[:6] if len(area.code) > 6 else area.code, period=period)
    result = calc.indicator(code, area.code)
    for item in result.inputs:
        if item["kind"] == "element":
            v = (
                DataValue.objects.visible_to(user)
                .filter(
                    element__code=item["code"], region_id=area.code, period=period, ethnic_group__isnull=True
                )
                .first()
            )
            item["url"] = (
                reverse("indicators:value", args=[v.pk])
                if v
                else (
                    f"{reverse('indicators:values')}?region={area.code}&period={period}&element={item['code']}"
                )
            )
        elif item["kind"] == "indicator":
            item["url"] = reverse("indicators:explain", args=[item["code"], area.code, period])
    for part in result.parts:
        part["url"] = reverse("indicators:explain", args=[code, part["region"], part.get("period", period)])
    return render(
        request,
        "indicators/explain.html",
        {"indicator": indicator, "region": area, "period": period, "result": result},
    )


@login_required
@readers
def value_list(request: HttpRequest) -> HttpResponse:
    region = request.GET.get("region", "")
    if region:
        selectors.region_in_scope(user=request.user, code=region)
    qs = selectors.values(
        user=request.user,
        region=region,
        period=request.GET.get("period", ""),
        element=request.GET.get("element", ""),
    )
    return render(request, "indicators/values.html", {"values": qs[:300]})


# ------------------------------------------------------------------------------------------------ systems


def _system(pk: int) -> IndicatorSystem:
    system = IndicatorSystem.objects.filter(pk=pk).first()
    if system is None:
        raise Http404
    return system


@login_required
@readers
def system_list(request: HttpRequest) -> HttpResponse:
    return render(request, "indicators/systems.html", {"systems": selectors.systems()})


def _tree(system: IndicatorSystem) -> list[dict[str, Any]]:
    nodes = list(system.nodes.select_related("indicator").order_by("order", "pk"))
    global_w = {n.pk: w for n, w in evaluation.leaves(system)}
    roots = [n for n in nodes if n.parent_id is None]
    total = sum(n.weight for n in roots) or 1.0
    out = []
    for root in roots:
        kids = [n for n in nodes if n.parent_id == root.pk]
        out.append(
            {
                "node": root,
                "share": root.weight / total,
                "children": [{"node": k, "global": global_w.get(k.pk, 0.0)} for k in kids],
            }
        )
    return out


@login_required
@readers
def system_detail(request: HttpRequest, pk: int) -> HttpResponse:
    system = _system(pk)
    return render(
        request,
        "indicators/system.html",
        {"system": system, "tree": _tree(system), "can_define": services.may_define(request.user)},
    )


def _parent(system: IndicatorSystem, node_pk: int) -> SystemNode | None:
    if node_pk == 0:
        return None
    node = system.nodes.filter(pk=node_pk).first()
    if node is None:
        raise Http404
    return node


@login_required
@readers
def weights_edit(request: HttpRequest, pk: int, node: int) -> HttpResponse:
    """Typed weights or AHP judgements of one node's children (node 0: the dimensions)."""
    user = acting_user(request)
    if not services.may_define(user):
        raise PermissionDenied(
            _("Only a provincial commission or the platform administrator edits definitions.")
        )
    system = _system(pk)
    parent = _parent(system, node)
    children = list(system.nodes.filter(parent=parent).order_by("order", "pk"))
    errors: dict[str, list[str]] = {}
    top: list[str] = []
    mode = request.POST.get("mode", request.GET.get("mode", "typed"))
    posted = request.POST if request.method == "POST" else None
    if posted is not None:
        try:
            if mode == "ahp":
                judgements = {}
                for i in range(len(children)):
                    for j in range(i + 1, len(children)):
                        raw = posted.get(f"a_{i}_{j}", "").strip()
                        try:
                            judgements[(i, j)] = _judgement(raw)
                        except ValueError:
                            errors.setdefault(f"a_{i}_{j}", []).append(
                                _("Write a judgement such as 3 or 1/3.")
                            )
                if errors:
                    raise ValidationError(errors)
                result = services.weights_ahp(actor=user, parent=parent, system=system, judgements=judgements)
                messages.success(
                    request,
                    _("Weights set by AHP; consistency ratio %(cr).3f.") % {"cr": result.consistency_ratio},
                )
            else:
                weights = {}
                for c in children:
                    try:
                        weights[c.pk] = float(posted.get(f"w_{c.pk}", ""))
                    except ValueError:
                        errors.setdefault(f"w_{c.pk}", []).append(_("Enter a number."))
                if errors:
                    raise ValidationError(errors)
                services.weights_typed(actor=user, parent=parent, system=system, weights=weights)
                messages.success(request, _("Weights saved."))
            return redirect("indicators:system", pk=system.pk)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for k, v in exc.message_dict.items():
                    errors.setdefault(k, []).extend(v)
            else:
                top.extend(exc.messages)
    n = len(children)
    matrix = parent.pairwise if parent is not None and parent.pairwise else None
    pairs = []
    for i in range(n):
        for j in range(i + 1, n):
            key = f"a_{i}_{j}"
            value = (
                posted.get(key, "")
                if posted is not None
                else (_ratio(matrix[i][j]) if matrix and len(matrix) == n else "1")
            )
            pairs.append(
                {
                    "key": key,
                    "a": children[i].name,
                    "b": children[j].name,
                    "value": value,
                    "errors": errors.get(key, []),
                }
            )
    rows = [
        {
            "node": c,
            "key": f"w_{c.pk}",
            "value": posted.get(f"w_{c.pk}", "") if posted is not None else f"{c.weight:.4f}",
            "errors": errors.get(f"w_{c.pk}", []),
        }
        for c in children
    ]
    summary = top + [f"{e}" for k, v in errors.items() for e in v]
    return render(
        request,
        "indicators/weights.html",
        {
            "system": system,
            "parent": parent,
            "rows": rows,
            "pairs": pairs,
            "mode": mode,
            "summary": summary,
        },
        status=400 if summary else 200,
    )


def _judgement(raw: str) -> float:
    raw = raw.replace("／", "/").strip()
    if "/" in raw:
        a, b = raw.split("/", 1)
        try:
            return float(a) / float(b)
        except ZeroDivisionError as exc:  # "1/0" is a typing slip, not a server error
            raise ValueError(raw) from exc
    return float(raw)


def _ratio(v: float) -> str:
    return f"{v:g}" if v >= 1 else f"1/{round(1 / v):g}"


@login_required
@readers
@require_POST
def weights_entropy(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    system = _system(pk)
    region = selectors.region_in_scope(user=user, code=request.POST.get("region", ""))
    try:
        services.weights_entropy(
            actor=user, system=system, region=region, period=request.POST.get("period", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Entropy weights computed from the data."))
    return redirect("indicators:system", pk=system.pk)


# ------------------------------------------------------------------------------------------------ runs


@login_required
@readers
def run_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = RunForm(
        request.POST or None,
        systems=selectors.systems(),
        regions=selectors.region_choices(user=user),
        initial={"period": _default_period()},
    )
    if request.method == "POST" and form.is_valid():
        system = _system(int(form.cleaned_data["system"]))
        region = selectors.region_in_scope(user=user, code=form.cleaned_data["region"])
        try:
            run = services.run_create(
                actor=user,
                system=system,
                region=region,
                period=form.cleaned_data["period"],
                aggregation=form.cleaned_data["aggregation"],
                normalisation=form.cleaned_data["normalisation"],
            )
        except (ValidationError, PermissionDenied) as exc:
            attach_errors(form, exc)
        else:
            return redirect("indicators:run", pk=run.pk)
    return render(
        request,
        "indicators/runs.html",
        {"form": form, "runs": selectors.runs(user=user)[:50], "can_run": scope_for(user).is_staff},
        status=400 if form.errors else 200,
    )


@login_required
@readers
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.run_get(user=request.user, pk=pk)
    rows = evaluation.ranked_rows(run)
    indicators = run.snapshot["indicators"]
    sensitivity = [
        {
            "indicator": s["indicator"],
            "minus": s["minus"]["moved"],
            "plus": s["plus"]["moved"],
            "shift": max(s["minus"]["max_shift"], s["plus"]["max_shift"]),
        }
        for s in run.results["sensitivity"]
    ]
    chart = {
        "units": [r["name"] for r in rows][:40],
        "series": [
            {
                "name": ind["name"],
                "data": [round(100 * (r["bars"][j]["value"] or 0), 2) if r["bars"] else 0 for r in rows[:40]],
            }
            for j, ind in enumerate(indicators)
        ],
    }
    what_if = None
    j = request.GET.get("indicator")
    if j is not None:
        try:
            index = int(j)
            change = float(request.GET.get("change", "10")) / 100
        except ValueError as exc:
            raise Http404 from exc
        if not (0 <= index < len(indicators)) or abs(change) > 0.5:
            raise Http404
        what_if = evaluation.what_if(run.snapshot, run.method, index, change)
        what_if["indicator"] = indicators[index]["name"]
        what_if["change"] = round(change * 100)
    user = request.user
    can_approve = (
        run.status == RunStatus.DRAFT
        and scope_for(user).is_staff
        and (scope_for(user).is_everything or user.pk != run.created_by_id)
    )
    labels = {
        "arithmetic": _("Weighted sum"),
        "topsis": "TOPSIS",
        "minmax": _("Min–max"),
        "rank": _("Rank"),
        "zscore": _("z-score"),
        "impute_mean": _("mean of the other units"),
        "exclude": _("left unscored"),
        "impute_zero": _("zero"),
        **dict(WeightMethod.choices),
    }
    method = {k: labels.get(v, v) for k, v in run.method.items()}
    return render(
        request,
        "indicators/run.html",
        {
            "run": run,
            "rows": rows,
            "indicators": indicators,
            "sensitivity": sensitivity,
            "chart": chart,
            "what_if": what_if,
            "can_approve": can_approve,
            "indicator_choices": list(enumerate(indicators)),
            "method": method,
        },
    )


@login_required
@readers
def run_unit(request: HttpRequest, pk: int, index: int) -> HttpResponse:
    run = selectors.run_get(user=request.user, pk=pk)
    rows = {r["index"]: r for r in evaluation.ranked_rows(run)}
    if index not in rows:
        raise Http404
    row = rows[index]
    inputs = run.snapshot["matrix"][index]
    items = []
    for j, ind in enumerate(run.snapshot["indicators"]):
        items.append(
            {
                **ind,
                "value": inputs[j],
                "contribution": (run.results["contributions"][index] or [None] * len(inputs))[j],
                "explain": reverse("indicators:explain", args=[ind["code"], row["code"], run.period]),
            }
        )
    items.sort(key=lambda x: -(x["contribution"] or 0))
    return render(request, "indicators/run_unit.html", {"run": run, "row": row, "items": items})


@login_required
@readers
@require_POST
def run_approve(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.run_get(user=request.user, pk=pk)
    try:
        services.run_approve(actor=acting_user(request), run=run)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The evaluation is approved."))
    return redirect("indicators:run", pk=run.pk)


@login_required
@readers
def run_reproduce(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.run_get(user=request.user, pk=pk)
    again = evaluation.compute_results(run.snapshot, run.method)
    same = again == run.results
    return render(request, "indicators/reproduce.html", {"run": run, "same": same})


@login_required
@readers
def run_compare(request: HttpRequest) -> HttpResponse:
    user = request.user
    try:
        a = selectors.run_get(user=user, pk=int(request.GET.get("a", "0")))
        b = selectors.run_get(user=user, pk=int(request.GET.get("b", "0")))
    except ValueError as exc:
        raise Http404 from exc
    left = {r["code"]: r for r in evaluation.ranked_rows(a)}
    right = {r["code"]: r for r in evaluation.ranked_rows(b)}
    rows = []
    for code in sorted(set(left) | set(right), key=lambda c: left.get(c, {}).get("rank") or 10**6):
        la, rb = left.get(code), right.get(code)
        either: dict[str, Any] = la or rb or {}
        rows.append(
            {
                "name": either.get("name", code),
                "a": la,
                "b": rb,
                "shift": (la["rank"] - rb["rank"]) if la and rb and la["rank"] and rb["rank"] else None,
            }
        )
    weights = []
    wb = {i["code"]: i for i in b.snapshot["indicators"]}
    for ind in a.snapshot["indicators"]:
        weights.append({"name": ind["name"], "a": ind["weight"], "b": wb.get(ind["code"], {}).get("weight")})
    return render(request, "indicators/compare.html", {"a": a, "b": b, "rows": rows, "weights": weights})


# ------------------------------------------------------------------------------------------------ embedding


@login_required
@readers
def embedding_page(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    regions = selectors.region_choices(user=user)
    data = request.GET if "region" in request.GET else None
    if data is not None and data.get("region"):
        selectors.region_in_scope(user=user, code=data["region"])  # another jurisdiction's region: 404
    form = EmbeddingForm(data, regions=regions, initial={"period": _default_period()})
    context: dict[str, Any] = {"form": form, "result": None}
    status = 200
    if data is not None:
        if form.is_valid():
            region = selectors.region_in_scope(user=user, code=form.cleaned_data["region"])
            period = form.cleaned_data["period"]
            result = embedding.measure(region.code, period)
            context.update(result=result, region=region, period=period)
            before = form.cleaned_data.get("before")
            if before:
                rows = embedding.change(region.code, before, period)
                context["change"] = rows
                context["before"] = before
                context["change_chart"] = {
                    "name": region.name,
                    "children": [
                        {"name": r["name"], "value": 1, "delta": round(100 * (r["delta"] or 0), 2)}
                        for r in rows
                    ],
                }
        else:
            status = 400
    return render(request, "indicators/embedding.html", context, status=status)


@login_required
@readers
def rule_edit(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if not services.may_define(user):
        raise PermissionDenied(
            _("Only a provincial commission or the platform administrator edits definitions.")
        )
    setting, _rule = embedding.current_rule()
    form = RuleForm(request.POST or None, instance=setting if setting.pk else None)
    if request.method == "POST" and form.is_valid():
        obj = form.save(commit=False)
        obj.pk = None  # a new setting each time: the history of the rule is kept
        obj.set_by, obj.set_at = user, clock.now()
        obj.save()
        messages.success(request, _("The rule is saved."))
        return redirect("indicators:embedding")
    return render(
        request,
        "indicators/form.html",
        {"form": form, "title": _("The embedded-community rule"), "cancel": reverse("indicators:embedding")},
        status=400 if form.errors else 200,
    )


# ------------------------------------------------------------------------------------------------ sites


def _staff_regions(user: Any) -> Any:
    scope = scope_for(user)
    qs = Region.objects.filter(valid_to__isnull=True).exclude(level="village")
    if not scope.is_everything:
        qs = qs.filter(code__startswith=scope.prefix or "\x00")
    codes = set(selectors.entry_regions(user=user).values_list("code", flat=True))
    return list(qs.filter(level__in=("county", "township", "prefecture"))[:300]) + list(
        Region.objects.filter(code__in=codes)
    )


@login_required
@readers
def site_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    can_add = scope_for(user).is_staff
    site_form = recognition_form = None
    if can_add:
        regions = _staff_regions(user)
        runs = selectors.runs(user=user).filter(status=RunStatus.APPROVED)
        kind = request.POST.get("form")
        site_form = SiteForm(
            request.POST if kind == "site" else None, regions=regions, runs=runs, prefix="site"
        )
        recognition_form = RecognitionForm(
            request.POST if kind == "recognition" else None, regions=regions, prefix="rec"
        )
        target = site_form if kind == "site" else recognition_form
        if request.method == "POST" and target.is_valid():
            data = dict(target.cleaned_data)
            data["region"] = selectors.region_in_scope(user=user, code=data["region"])
            try:
                if kind == "site":
                    data["run"] = runs.filter(pk=data["run"]).first() if data.get("run") else None
                    services.site_designate(actor=user, data=data)
                else:
                    services.recognition_create(actor=user, data=data)
            except (ValidationError, PermissionDenied) as exc:
                attach_errors(target, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("indicators:sites")
    status = (
        400 if (site_form and site_form.errors) or (recognition_form and recognition_form.errors) else 200
    )
    return render(
        request,
        "indicators/sites.html",
        {
            "sites": selectors.sites(user=user),
            "recognitions": selectors.recognitions(user=user),
            "site_form": site_form,
            "recognition_form": recognition_form,
        },
        status=status,
    )


@login_required
@readers
def site_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    site = selectors.site_get(user=user, pk=pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "review":
            services.site_review(
                actor=user,
                site=site,
                reviewed_on=clock.today(),
                passed=True,
                note=request.POST.get("note", "")[:200],
            )
            messages.success(request, _("Review recorded."))
            return redirect("indicators:site", pk=site.pk)
        if form.is_valid():
            confirm = confirmation(
                request,
                title=_("Withdraw the designation of %(name)s?") % {"name": site.name},
                consequences=[_("It leaves the public list; the reason is kept.")],
                confirm_label=_("Withdraw"),
                back_url=reverse("indicators:site", args=[site.pk]),
            )
            if confirm is not None:
                return confirm
            try:
                services.site_withdraw(actor=user, site=site, reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, _("The designation is withdrawn."))
                return redirect("indicators:site", pk=site.pk)
    return render(
        request,
        "indicators/site.html",
        {"site": site, "form": form, "can_act": scope_for(user).is_staff},
        status=400 if form.errors else 200,
    )


def public_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "indicators/public.html",
        {"sites": selectors.public_sites(), "recognitions": selectors.public_recognitions()},
    )


# ------------------------------------------------------------------------------------------------ import


@login_required
@readers
def import_page(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = imports.import_start(actor=user, upload=form.cleaned_data["file"])
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            return redirect("indicators:import_job", pk=job.pk)
    jobs = ValueImport.objects.filter(created_by=user)[:10]
    return render(
        request,
        "indicators/import.html",
        {"form": form, "jobs": jobs, "max_rows": imports.MAX_IMPORT_ROWS},
        status=400 if form.errors else 200,
    )


@login_required
@readers
def import_template(request: HttpRequest) -> HttpResponse:
    return xlsx_response(imports.template_bytes(), "indicator-values-template.xlsx")


@login_required
@readers
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = ValueImport.objects.filter(pk=pk, created_by=acting_user(request)).first()
    if job is None:
        raise Http404
    template = "indicators/import_job.html#status" if request.htmx else "indicators/import_job.html"  # type: ignore[attr-defined]
    return render(request, template, {"job": job})
