"""Every write of the indicators app: values and their period workflow, definitions (indicators, weights),
evaluation runs, demonstration sites and recognitions. Each service checks who acts, validates, and writes in one
transaction; a refusal writes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models.functions import Length
from django.utils.translation import gettext as _

from shiliu.analytics import composite
from shiliu.jurisdiction.roles import Role
from shiliu.jurisdiction.scope import scope_for
from shiliu.lib import clock
from shiliu.regions.models import EthnicGroup, Region

from . import derivation, formula, periods
from .models import (
    LEVEL_DIGITS,
    DataElement,
    DataValue,
    DemonstrationSite,
    DerivationJob,
    EvaluationRun,
    ImportStatus,
    Indicator,
    IndicatorKind,
    IndicatorSystem,
    PeriodReturn,
    Recognition,
    ReturnEvent,
    ReturnStatus,
    RunStatus,
    SiteReview,
    SiteStatus,
    SystemNode,
    WeightMethod,
)

WEIGHT_TOLERANCE = 1e-3
MAX_RATIO = 0.10


# ------------------------------------------------------------------------------------------------ who may act


def may_enter(user: Any, region_code: str) -> bool:
    """Staff of a jurisdiction covering the region, or the coordinator of the community itself."""
    scope = scope_for(user)
    if scope.is_everything:
        return True
    if scope.role == Role.COMMISSION_STAFF:
        return scope.covers(region_code)
    if scope.role == Role.UNIT_COORDINATOR and scope.unit_id is not None:
        from shiliu.orgs.models import Organization

        return Organization.objects.filter(pk=scope.unit_id, region_id=region_code).exists()
    return False


def is_level_above(user: Any, region_code: str, below: Any) -> bool:
    """Staff whose jurisdiction covers the region and lies strictly above ``below`` (the user who submitted)."""
    scope = scope_for(user)
    if scope.is_everything:
        return True
    if scope.role != Role.COMMISSION_STAFF or not scope.covers(region_code) or scope.prefix is None:
        return False
    lower = getattr(below, "region_id", None) or region_code
    return len(scope.prefix) < len(lower)


def may_define(user: Any) -> bool:
    """Definitions (elements, indicators, systems, weights, the rule) are shared by every jurisdiction: the platform
    administrator and provincial commissions edit them."""
    scope = scope_for(user)
    return scope.is_everything or (scope.role == Role.COMMISSION_STAFF and len(scope.prefix or "") <= 2)


def _require_define(user: Any) -> None:
    if not may_define(user):
        raise PermissionDenied(
            _("Only a provincial commission or the platform administrator edits definitions.")
        )


# ------------------------------------------------------------------------------------------------ values


@dataclass(frozen=True)
class Entry:
    """One value typed on the form: ``field`` is the form field it came from (for the error next to it)."""

    field: str
    element: DataElement
    value: float | None
    ethnic_group: str | None = None
    comment: str = ""


def period_return(*, region: Region, period: str) -> PeriodReturn:
    ret, _created = PeriodReturn.objects.get_or_create(region=region, period=period)
    return ret


def _previous_values(region: Region, period: str) -> dict[tuple[int, str | None], float]:
    try:
        keys = {periods.previous(period)}
    except ValueError:
        return {}
    return {
        (e, g): v
        for e, g, v in DataValue.objects.filter(region=region, period__in=keys).values_list(
            "element_id", "ethnic_group_id", "value"
        )
    }


def check_entry(
    entry: Entry, previous: dict[tuple[int, str | None], float], given: set[int] | None = None
) -> str | None:
    """The problem with one typed value, in Chinese, or None. An element by ethnic group is required as a whole:
    one group's value satisfies it (``given``: the elements with any value)."""
    e, v = entry.element, entry.value
    if v is None:
        needed = e.required and not (entry.ethnic_group is not None and given and e.pk in given)
        return _("This value is required.") if needed else None
    if e.is_derived:
        return _("This value is derived from Shiliu's records and cannot be typed.")
    if e.value_type == "integer" and not float(v).is_integer():
        return _("Enter a whole number.")
    if e.value_type == "percent" and not 0 <= v <= 100:
        return _("A percentage lies between 0 and 100.")
    if e.min_value is not None and v < e.min_value:
        return _("The value must be at least %(min)g.") % {"min": e.min_value}
    if e.max_value is not None and v > e.max_value:
        return _("The value must be at most %(max)g.") % {"max": e.max_value}
    last = previous.get((e.pk, entry.ethnic_group))
    if e.jump_limit is not None and last is not None and not entry.comment.strip():
        base = abs(last) if last else 1.0
        if abs(v - last) / base > e.jump_limit:
            return _("This is %(pct).0f %% away from last period's %(last)g: say why in the comment.") % {
                "pct": 100 * abs(v - last) / base,
                "last": last,
            }
    return None


@transaction.atomic
def values_enter(*, actor: Any, region: Region, period: str, entries: list[Entry], source: str) -> int:
    """Write the typed values of a region and period (all or none). Refused for a locked period."""
    if not may_enter(actor, region.code):
        raise PermissionDenied(_("You may not enter values for this region."))
    ret = PeriodReturn.objects.select_for_update().filter(region=region, period=period).first()
    if ret is not None and ret.is_locked:
        raise ValidationError(
            _(
                "The values of %(region)s for %(period)s are %(status)s and locked; ask the approver to unlock them."
            )
            % {"region": region.name, "period": period, "status": ret.get_status_display()}
        )
    if not source.strip():
        raise ValidationError({"source": _("Say where the values come from.")})
    previous = _previous_values(region, period)
    given = {entry.element.pk for entry in entries if entry.value is not None}
    errors: dict[str, list[str]] = {}
    for entry in entries:
        try:
            periods.check(period, entry.element.period_type)
        except ValueError as exc:
            errors.setdefault(entry.field, []).append(str(exc))
            continue
        problem = check_entry(entry, previous, given)
        if problem:
            errors.setdefault(entry.field, []).append(problem)
    if errors:
        raise ValidationError(errors)
    if ret is None:
        ret = period_return(region=region, period=period)
    written = 0
    for entry in entries:
        cell = DataValue.objects.filter(
            element=entry.element, region=region, period=period, ethnic_group_id=entry.ethnic_group
        )
        if entry.value is None:
            cell.delete()
            continue
        current = cell.first()
        if current is not None and current.value == entry.value and current.comment == entry.comment:
            continue
        DataValue.objects.update_or_create(
            element=entry.element,
            region=region,
            period=period,
            ethnic_group_id=entry.ethnic_group,
            defaults={
                "value": entry.value,
                "comment": entry.comment.strip()[:200],
                "source": source.strip()[:120],
                "entered_by": actor,
                "entered_at": clock.now(),
                "derived": False,
                "records": {},
            },
        )
        written += 1
    return written


def _event(ret: PeriodReturn, action: str, actor: Any, reason: str = "") -> None:
    ReturnEvent.objects.create(period_return=ret, action=action, actor=actor, reason=reason[:200])


def _locked_return(ret: PeriodReturn) -> PeriodReturn:
    return PeriodReturn.objects.select_for_update().get(pk=ret.pk)


@transaction.atomic
def return_submit(*, actor: Any, ret: PeriodReturn) -> PeriodReturn:
    ret = _locked_return(ret)
    if not may_enter(actor, ret.region_id):
        raise PermissionDenied(_("You may not submit values for this region."))
    if ret.status != ReturnStatus.ENTERED:
        raise ValidationError(_("Only values being entered can be submitted."))
    missing = [
        e.name
        for e in DataElement.objects.filter(required=True, source="", entry_level=_level_of(ret.region_id))
        if periods.period_type(ret.period) == e.period_type
        and not DataValue.objects.filter(element=e, region_id=ret.region_id, period=ret.period).exists()
    ]
    if missing:
        raise ValidationError(_("Required values are missing: %(names)s.") % {"names": "、".join(missing)})
    ret.status, ret.submitted_by, ret.submitted_at = ReturnStatus.SUBMITTED, actor, clock.now()
    ret.save()
    _event(ret, "submit", actor)
    return ret


def _level_of(code: str) -> str:
    return {v: k for k, v in LEVEL_DIGITS.items()}.get(len(code), "village")


@transaction.atomic
def return_approve(*, actor: Any, ret: PeriodReturn) -> PeriodReturn:
    ret = _locked_return(ret)
    if not is_level_above(actor, ret.region_id, ret.submitted_by):
        raise PermissionDenied(_("Values are approved by the level above the one that submitted them."))
    if ret.status != ReturnStatus.SUBMITTED:
        raise ValidationError(_("Only submitted values can be approved."))
    ret.status, ret.approved_by, ret.approved_at = ReturnStatus.APPROVED, actor, clock.now()
    ret.save()
    _event(ret, "approve", actor)
    return ret


@transaction.atomic
def return_reject(*, actor: Any, ret: PeriodReturn, reason: str) -> PeriodReturn:
    ret = _locked_return(ret)
    if not is_level_above(actor, ret.region_id, ret.submitted_by):
        raise PermissionDenied(_("Values are approved by the level above the one that submitted them."))
    if ret.status != ReturnStatus.SUBMITTED:
        raise ValidationError(_("Only submitted values can be returned."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say what must be corrected.")})
    ret.status = ReturnStatus.ENTERED
    ret.save()
    _event(ret, "reject", actor, reason)
    return ret


@transaction.atomic
def return_accept(*, actor: Any, ret: PeriodReturn) -> PeriodReturn:
    ret = _locked_return(ret)
    if not is_level_above(actor, ret.region_id, ret.submitted_by):
        raise PermissionDenied(_("Values are accepted by the level above the one that submitted them."))
    if ret.status != ReturnStatus.APPROVED:
        raise ValidationError(_("Only approved values can be accepted."))
    ret.status, ret.accepted_at = ReturnStatus.ACCEPTED, clock.now()
    ret.save()
    _event(ret, "accept", actor)
    return ret


@transaction.atomic
def return_unlock(*, actor: Any, ret: PeriodReturn, reason: str) -> PeriodReturn:
    """Back to entry; only the approver (or the level above them) unlocks, with a reason kept in the history."""
    ret = _locked_return(ret)
    approver = ret.approved_by
    allowed = scope_for(actor).is_everything or (
        approver is not None and (actor.pk == approver.pk or is_level_above(actor, ret.region_id, approver))
    )
    if not allowed:
        raise PermissionDenied(_("Only the approver unlocks these values."))
    if ret.status not in (ReturnStatus.APPROVED, ReturnStatus.ACCEPTED):
        raise ValidationError(_("These values are not locked."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the values are unlocked.")})
    ret.status, ret.accepted_at = ReturnStatus.ENTERED, None
    with set_actor(actor):  # the audit log names who unlocked, in a task or a test as on a page
        ret.save()
    _event(ret, "unlock", actor, reason)
    return ret


# ------------------------------------------------------------------------------------------------ derived values


def _entry_codes(region_code: str, digits: int) -> list[str]:
    """The regions whose values are derived: at the community level those with a community or village unit on the
    platform (the thousands of villages of a county without one report nothing), above it every division."""
    from shiliu.orgs.models import Organization, UnitKind

    if digits == 12:
        return sorted(
            set(
                Organization.objects.filter(
                    region__code__startswith=region_code, kind__in=(UnitKind.COMMUNITY, UnitKind.VILLAGE)
                ).values_list("region_id", flat=True)
            )
        )
    return list(
        Region.objects.filter(code__startswith=region_code, valid_to__isnull=True)
        .annotate(digits=Length("code"))
        .filter(digits=digits)
        .values_list("code", flat=True)
    )


def derive_values(*, region_code: str, period: str, job: DerivationJob | None = None) -> int:
    """Write every derived element's values for the entry-level regions under ``region_code`` (and the region
    itself). Locked periods are left as they are. Returns how many values were written."""
    elements = [e for e in DataElement.objects.exclude(source="") if e.source in derivation.SOURCES]
    written = 0
    if job is not None:
        DerivationJob.objects.filter(pk=job.pk).update(status=ImportStatus.CHECKING, total=len(elements))
    for index, element in enumerate(elements):
        try:
            periods.check(period, element.period_type)
        except ValueError:
            continue
        digits = LEVEL_DIGITS[element.entry_level]
        codes = _entry_codes(region_code, digits)
        if len(region_code) == digits:
            codes = [region_code]
        locked = set(
            PeriodReturn.objects.filter(region_id__in=codes, period=period)
            .exclude(status=ReturnStatus.ENTERED)
            .values_list("region_id", flat=True)
        )
        results = derivation.derive(element.source, [c for c in codes if c not in locked], period)
        with transaction.atomic():
            for code, d in results.items():
                DataValue.objects.update_or_create(
                    element=element,
                    region_id=code,
                    period=period,
                    ethnic_group=None,
                    defaults={
                        "value": d.value,
                        "source": str(derivation.SOURCES[element.source].label)[:120],
                        "derived": True,
                        "records": {"kind": d.kind, "ids": d.ids[:5000]},
                        "entered_by": None,
                        "entered_at": clock.now(),
                    },
                )
                written += 1
        if job is not None:
            DerivationJob.objects.filter(pk=job.pk).update(done=index + 1, written=written)
    if job is not None:
        DerivationJob.objects.filter(pk=job.pk).update(status=ImportStatus.DONE, written=written)
    return written


def derivation_start(*, actor: Any, region: Region, period: str) -> DerivationJob:
    if not may_enter(actor, region.code) or not scope_for(actor).is_staff:
        raise PermissionDenied(_("You may not refresh the values of this region."))
    try:
        periods.period_type(period)
    except ValueError as exc:
        raise ValidationError({"period": str(exc)}) from exc
    from .tasks import run_derivation

    with transaction.atomic():
        job = DerivationJob.objects.create(region=region, period=period, created_by=actor)
        run_derivation.enqueue(job.pk)
    job.refresh_from_db()
    return job


# ------------------------------------------------------------------------------------------------ definitions


def _graph(overrides: dict[str, set[str]]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for ind in Indicator.objects.all():
        try:
            texts = [ind.numerator, ind.denominator] if ind.kind == IndicatorKind.RATIO else [ind.expression]
            graph[ind.code] = set().union(*(formula.references(formula.parse(t)) for t in texts))
        except formula.FormulaError:
            graph[ind.code] = set()
    graph.update(overrides)
    return graph


@transaction.atomic
def indicator_save(*, actor: Any, data: dict[str, Any], indicator: Indicator | None = None) -> Indicator:
    """Create or change a formula indicator; refused when a formula cannot be read, names an unknown code or
    makes the indicator depend on itself."""
    _require_define(actor)
    code = data.get("code") or (indicator.code if indicator else "")
    if not formula.NAME.fullmatch(code or ""):
        raise ValidationError(
            {"code": _("A code is lower-case letters, digits and _, starting with a letter.")}
        )
    if DataElement.objects.filter(code=code).exists():
        raise ValidationError({"code": _("A data element already has this code.")})
    kind = data.get("kind") or IndicatorKind.EXPRESSION
    fields = ("numerator", "denominator") if kind == IndicatorKind.RATIO else ("expression",)
    known = (
        set(DataElement.objects.values_list("code", flat=True))
        | set(Indicator.objects.values_list("code", flat=True))
        | {code}
    )
    refs: set[str] = set()
    errors: dict[str, str] = {}
    for name in fields:
        try:
            names = formula.references(formula.parse(data.get(name, "")))
        except formula.FormulaError as exc:
            errors[name] = str(exc)
            continue
        unknown = sorted(names - known)
        if unknown:
            errors[name] = _("Unknown code: %(codes)s.") % {"codes": "、".join(unknown)}
        refs |= names
    if not errors and code in refs:
        errors[fields[0]] = _("The formula refers to the indicator itself.")
    if not errors:
        cycle = formula.find_cycle(_graph({code: refs}), code)
        if cycle:
            errors[fields[0]] = _("The formulas form a cycle: %(path)s.") % {"path": " → ".join(cycle)}
    if errors:
        raise ValidationError(errors)
    target = indicator or Indicator(code=code)
    for name in (
        "name",
        "kind",
        "numerator",
        "denominator",
        "factor",
        "expression",
        "unit",
        "aggregation",
        "period_aggregation",
        "description",
    ):
        if name in data:
            setattr(target, name, data[name])
    target.code = code
    target.full_clean()
    target.save()
    return target


def weights_typed(
    *, actor: Any, parent: SystemNode | None, system: IndicatorSystem, weights: dict[int, float]
) -> None:
    """Typed weights of a node's children; they must sum to 1."""
    _require_define(actor)
    children = list(system.nodes.filter(parent=parent))
    if set(weights) != {c.pk for c in children}:
        raise ValidationError(_("Give a weight for every item."))
    errors = {f"w_{pk}": _("A weight lies between 0 and 1.") for pk, w in weights.items() if not 0 <= w <= 1}
    if errors:
        raise ValidationError(errors)
    total = sum(weights.values())
    if abs(total - 1) > WEIGHT_TOLERANCE:
        raise ValidationError(
            _("The weights add up to %(total).3f; they must add up to 1.") % {"total": total}
        )
    with transaction.atomic():
        for child in children:
            child.weight = weights[child.pk]
            child.save(update_fields=["weight"])
        system.weight_method = WeightMethod.TYPED
        system.save(update_fields=["weight_method"])


def most_inconsistent(matrix: np.ndarray) -> tuple[int, int, float]:
    """The judgement (i, j) furthest from what the priorities imply (a_ij vs w_i/w_j), and the implied ratio."""
    values, vectors = np.linalg.eig(matrix)
    w = np.abs(vectors[:, int(np.argmax(values.real))].real)
    w = w / w.sum()
    n = matrix.shape[0]
    best = (0, 1, 0.0, -1.0)
    for i in range(n):
        for j in range(i + 1, n):
            gap = abs(np.log(matrix[i, j] * w[j] / w[i]))
            if gap > best[3]:
                best = (i, j, float(w[i] / w[j]), gap)
    return best[0], best[1], best[2]


def weights_ahp(
    *,
    actor: Any,
    parent: SystemNode | None,
    system: IndicatorSystem,
    judgements: dict[tuple[int, int], float],
) -> composite.AHPResult:
    """Weights from pairwise judgements of a node's children (upper triangle: i is judged against j)."""
    _require_define(actor)
    children = list(system.nodes.filter(parent=parent))
    n = len(children)
    a = np.ones((n, n))
    errors: dict[str, str] = {}
    for (i, j), v in judgements.items():
        if not (1 / 9 - 1e-9 <= v <= 9 + 1e-9):
            errors[f"a_{i}_{j}"] = _("A judgement lies between 1/9 and 9.")
            continue
        a[i, j], a[j, i] = v, 1 / v
    if len(judgements) != n * (n - 1) // 2:
        raise ValidationError(_("Compare every pair of items."))
    if errors:
        raise ValidationError(errors)
    try:
        result = composite.ahp_weights(a, max_ratio=MAX_RATIO)
    except composite.InconsistentJudgementsError as exc:
        i, j, implied = most_inconsistent(a)
        raise ValidationError(
            {
                f"a_{i}_{j}": _(
                    "Consistency ratio %(cr).3f is above 0.10. This judgement contradicts the others most: "
                    "“%(a)s” against “%(b)s” is %(given)s, the other judgements imply about %(implied).2f."
                )
                % {
                    "cr": exc.ratio,
                    "a": children[i].name,
                    "b": children[j].name,
                    "given": _ratio_text(a[i, j]),
                    "implied": implied,
                }
            }
        ) from exc
    with transaction.atomic():
        for child, w in zip(children, result.weights, strict=True):
            child.weight = float(w)
            child.save(update_fields=["weight"])
        holder = parent
        if holder is not None:
            holder.pairwise = a.tolist()
            holder.save(update_fields=["pairwise"])
        system.weight_method = WeightMethod.AHP
        system.save(update_fields=["weight_method"])
    return result


def check_reciprocal(matrix: list[list[float]]) -> None:
    """A full matrix given as data (the API): square, positive and reciprocal, or a message naming the cell."""
    a = np.asarray(matrix, dtype=float)
    n = a.shape[0]
    if a.ndim != 2 or a.shape != (n, n):
        raise ValidationError(_("The comparison matrix must be square."))
    for i in range(n):
        for j in range(n):
            if a[i, j] <= 0 or abs(a[i, j] * a[j, i] - 1) > 1e-6:
                raise ValidationError(
                    _(
                        "The matrix is not reciprocal: row %(i)d, column %(j)d is %(v)g but row %(j)d, column %(i)d is %(w)g."
                    )
                    % {"i": i + 1, "j": j + 1, "v": a[i, j], "w": a[j, i]}
                )


def _ratio_text(v: float) -> str:
    return f"{v:g}" if v >= 1 else f"1/{1 / v:g}"


def weights_entropy(
    *, actor: Any, system: IndicatorSystem, region: Region, period: str, level: str = "village"
) -> list[float]:
    """Indicator weights from the spread of the data (entropy method) over the units of a region and period; the
    dimensions get the sum of their indicators' weights."""
    _require_define(actor)
    from .evaluation import build_matrix, leaves

    nodes = leaves(system)
    units, _names, matrix = build_matrix(system, region.code, period, level)
    if len(units) < 2:
        raise ValidationError(_("Entropy weights need the values of at least two units."))
    m = np.asarray(matrix, dtype=float)
    empty = np.isnan(m).all(axis=0)
    if empty.all():
        raise ValidationError(_("No indicator has values in this period."))
    # An indicator without values carries no information: a constant column, weight 0.
    m[:, empty] = 0.0
    means = np.nanmean(m, axis=0)
    m = np.where(np.isnan(m), means, m)
    dirs = [n.direction for n, _w in nodes]
    w = composite.entropy_weights(composite.normalise(m, method="minmax", directions=dirs))
    with transaction.atomic():
        dims: dict[int | None, float] = {}
        for (node, _g), weight in zip(nodes, w, strict=True):
            dims[node.parent_id] = dims.get(node.parent_id, 0.0) + float(weight)
        for (node, _g), weight in zip(nodes, w, strict=True):
            node.weight = float(weight) / dims[node.parent_id] if dims[node.parent_id] > 0 else 0.0
            node.save(update_fields=["weight"])
        for parent_id, total in dims.items():
            if parent_id is not None:
                SystemNode.objects.filter(pk=parent_id).update(weight=total)
        system.weight_method = WeightMethod.ENTROPY
        system.save(update_fields=["weight_method"])
    return [float(x) for x in w]


# ------------------------------------------------------------------------------------------------ runs


def run_create(
    *,
    actor: Any,
    system: IndicatorSystem,
    region: Region,
    period: str,
    level: str = "village",
    aggregation: str = "arithmetic",
    normalisation: str = "minmax",
    missing: str = "impute_mean",
) -> EvaluationRun:
    """Evaluate the units of a region for a period and store the snapshot that reproduces it."""
    from .evaluation import build_snapshot, compute_results

    scope = scope_for(actor)
    if not scope.is_staff or not scope.covers(region.code):
        raise PermissionDenied(_("You may evaluate only regions of your jurisdiction."))
    try:
        periods.period_type(period)
    except ValueError as exc:
        raise ValidationError({"period": str(exc)}) from exc
    snapshot = build_snapshot(system, region.code, period, level)
    if len(snapshot["units"]) < 2:
        raise ValidationError(
            {"period": _("Fewer than two units have values for this period: nothing to rank.")}
        )
    method = {
        "aggregation": aggregation,
        "normalisation": normalisation,
        "missing": missing,
        "weighting": "fixed",
        "weight_method": system.weight_method,
    }
    results = compute_results(snapshot, method)
    return EvaluationRun.objects.create(
        system=system,
        region=region,
        level=level,
        period=period,
        title=f"{region.name} {period} {system.name}",
        method=method,
        snapshot=snapshot,
        results=results,
        created_by=actor,
    )


@transaction.atomic
def run_approve(*, actor: Any, run: EvaluationRun) -> EvaluationRun:
    scope = scope_for(actor)
    if not scope.is_everything and not (scope.is_staff and scope.covers(run.region_id)):
        raise PermissionDenied(_("You may not approve this evaluation."))
    if actor.pk == run.created_by_id and not scope.is_everything:
        raise PermissionDenied(_("An evaluation is approved by someone other than the person who ran it."))
    if run.status == RunStatus.APPROVED:
        raise ValidationError(_("This evaluation is already approved."))
    run.status, run.approved_by, run.approved_at = RunStatus.APPROVED, actor, clock.now()
    run.save()
    return run


# ------------------------------------------------------------------------------------------------ sites, awards


def _require_staff_over(actor: Any, code: str) -> None:
    scope = scope_for(actor)
    if not scope.is_staff or not scope.covers(code):
        raise PermissionDenied(_("Only a commission of this region or above may do this."))


@transaction.atomic
def site_designate(*, actor: Any, data: dict[str, Any]) -> DemonstrationSite:
    region = data["region"]
    _require_staff_over(actor, region.code)
    run = data.get("run")
    if run is not None and run.status != RunStatus.APPROVED:
        raise ValidationError({"run": _("Choose an approved evaluation.")})
    designated_on = data["designated_on"]
    years = data.get("review_years") or 3
    site = DemonstrationSite(
        kind=data["kind"],
        name=data["name"],
        region=region,
        unit=data.get("unit"),
        designated_by_id=scope_for(actor).prefix or region.code[:2],
        designated_on=designated_on,
        run=run,
        review_years=years,
        next_review_on=designated_on.replace(year=designated_on.year + years),
        is_public=bool(data.get("is_public")),
    )
    site.full_clean()
    site.save()
    return site


@transaction.atomic
def site_review(
    *, actor: Any, site: DemonstrationSite, reviewed_on: Any, passed: bool, note: str = ""
) -> SiteReview:
    _require_staff_over(actor, site.region_id)
    review = SiteReview.objects.create(
        site=site, reviewed_on=reviewed_on, passed=passed, note=note, reviewed_by=actor
    )
    site.next_review_on = reviewed_on.replace(year=reviewed_on.year + site.review_years)
    site.save(update_fields=["next_review_on"])
    return review


@transaction.atomic
def site_withdraw(*, actor: Any, site: DemonstrationSite, reason: str) -> DemonstrationSite:
    _require_staff_over(actor, site.region_id)
    if site.status == SiteStatus.WITHDRAWN:
        raise ValidationError(_("This designation is already withdrawn."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the designation is withdrawn.")})
    site.status, site.withdrawn_on, site.withdrawal_reason = (
        SiteStatus.WITHDRAWN,
        clock.today(),
        reason.strip()[:200],
    )
    site.is_public = False
    site.save()
    return site


@transaction.atomic
def recognition_create(*, actor: Any, data: dict[str, Any]) -> Recognition:
    region = data["region"]
    _require_staff_over(actor, region.code)
    if not (data.get("citation") or "").strip():
        raise ValidationError({"citation": _("A recognition needs its citation.")})
    rec = Recognition(
        kind=data["kind"],
        name=data["name"],
        region=region,
        citation=data["citation"],
        awarded_on=data["awarded_on"],
        awarded_by_id=scope_for(actor).prefix or region.code[:2],
        is_public=bool(data.get("is_public")),
    )
    rec.full_clean()
    rec.save()
    return rec


@transaction.atomic
def recognition_withdraw(*, actor: Any, recognition: Recognition, reason: str) -> Recognition:
    _require_staff_over(actor, recognition.region_id)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the recognition is withdrawn.")})
    recognition.status, recognition.withdrawal_reason, recognition.is_public = (
        SiteStatus.WITHDRAWN,
        reason[:200],
        False,
    )
    recognition.save()
    return recognition


def ethnic_group_or_none(code: str | None) -> EthnicGroup | None:
    return EthnicGroup.objects.filter(code=code).first() if code else None
