"""Indicator values of regions and periods, each with the explanation of how it was computed.

At the level where values are entered (or derived), a formula indicator is evaluated on the region's own element
values. Above it (a township, a county), the value aggregates the entry-level regions below by the indicator's
rule: ``sum`` (a ratio then is the ratio of the sums, not a sum of ratios), ``mean`` of their values, or
``population`` (their values weighted by the ``population`` element). A period coarser than the element's (a year
of a quarterly element) sums the parts, or averages them for scores and percentages.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from shiliu.regions.models import Region

from . import formula, periods
from .models import LEVEL_DIGITS, Aggregation, DataElement, DataValue, Indicator, IndicatorKind, ValueType

POPULATION_ELEMENT = "population"


@dataclass
class Explained:
    value: float | None
    formula: str = ""
    inputs: list[dict[str, Any]] = field(default_factory=list)  # {code, name, kind, value}
    parts: list[dict[str, Any]] = field(default_factory=list)  # aggregation: {region, name, value, weight}
    rule: str = ""


def _averaged(element: DataElement) -> bool:
    return element.value_type in (ValueType.PERCENT, ValueType.SCORE)


class Calculator:
    """Loads the elements, indicators and the values of the regions under ``prefix`` for ``period`` once."""

    def __init__(self, *, prefix: str, period: str, level: str = "village") -> None:
        self.prefix = prefix
        self.period = period
        self.level = level
        self.digits = LEVEL_DIGITS.get(level, 12)
        self._subs: dict[str, Calculator] = {}
        self.elements = {e.code: e for e in DataElement.objects.all()}
        self.indicators = {i.code: i for i in Indicator.objects.all()}
        self._parsed: dict[str, tuple[formula.Node, ...]] = {}
        keys: set[str] = set()
        for element in self.elements.values():
            keys.update(periods.parts(period, element.period_type) or [])
        self.values: dict[tuple[str, str], float] = {}
        raw: dict[tuple[str, str], list[float]] = defaultdict(list)
        sums: dict[tuple[str, str, str], float] = defaultdict(float)
        rows = DataValue.objects.filter(region__code__startswith=prefix, period__in=keys).values_list(
            "element__code", "region_id", "period", "value"
        )
        for code, region, key, value in rows:
            sums[(code, region, key)] += value  # groups add up to the region's total
        for (code, region, _key), value in sums.items():
            raw[(code, region)].append(value)
        for (code, region), parts in raw.items():
            element = self.elements[code]
            self.values[(code, region)] = sum(parts) / len(parts) if _averaged(element) else sum(parts)
        self._cache: dict[tuple[str, str], Explained] = {}

    # ---------------------------------------------------------------------------------------------------------
    def units(self) -> list[str]:
        """Entry-level regions under the prefix that hold any value, sorted."""
        return sorted({r for (_c, r) in self.values if len(r) == self.digits})

    def parsed(self, indicator: Indicator) -> tuple[formula.Node, ...]:
        if indicator.code not in self._parsed:
            if indicator.kind == IndicatorKind.RATIO:
                self._parsed[indicator.code] = (
                    formula.parse(indicator.numerator),
                    formula.parse(indicator.denominator),
                )
            else:
                self._parsed[indicator.code] = (formula.parse(indicator.expression),)
        return self._parsed[indicator.code]

    def element_value(self, code: str, region: str) -> float | None:
        if len(region) >= self.digits:
            return self.values.get((code, region))
        element = self.elements[code]
        below = [
            v
            for (c, r), v in self.values.items()
            if c == code and r.startswith(region) and len(r) == self.digits
        ]
        if not below:
            return self.values.get((code, region))
        return sum(below) / len(below) if _averaged(element) else sum(below)

    def _env_value(self, name: str, region: str) -> tuple[float | None, str, str]:
        if name in self.indicators:
            return self.indicator(name, region).value, "indicator", self.indicators[name].name
        if name in self.elements:
            return self.element_value(name, region), "element", self.elements[name].name
        return None, "unknown", name

    def _evaluate_here(self, indicator: Indicator, region: str) -> Explained:
        nodes = self.parsed(indicator)
        names: set[str] = set()
        for node in nodes:
            names |= formula.references(node)
        env: dict[str, float | None] = {}
        inputs = []
        for name in sorted(names):
            value, kind, label = self._env_value(name, region)
            env[name] = value
            inputs.append({"code": name, "name": label, "kind": kind, "value": value})
        if indicator.kind == IndicatorKind.RATIO:
            num, den = (formula.evaluate(n, env) for n in nodes)
            value = None if num is None or den in (None, 0) else num / den * indicator.factor  # type: ignore[operator]
        else:
            value = formula.evaluate(nodes[0], env)
        return Explained(value, indicator.formula_text, inputs, rule="formula")

    def indicator(self, code: str, region: str) -> Explained:
        key = (code, region)
        if key in self._cache:
            return self._cache[key]
        self._cache[key] = Explained(
            None, rule="cycle"
        )  # a guard: cycles are refused on save, never loop here
        indicator = self.indicators[code]
        sub_periods = self.sub_periods(code) if indicator.period_aggregation == Aggregation.MEAN else []
        if sub_periods:
            out = self._mean_over_periods(indicator, region, sub_periods)
        elif len(region) >= self.digits or indicator.aggregation == Aggregation.SUM:
            out = self._evaluate_here(indicator, region)
            if len(region) < self.digits:
                out.rule = "sum"
        else:
            children = [u for u in self.units() if u.startswith(region)]
            parts: list[dict[str, Any]] = []
            for child in children:
                v = self.indicator(code, child).value
                if v is None:
                    continue
                w = 1.0
                if indicator.aggregation == Aggregation.POPULATION:
                    w = self.values.get((POPULATION_ELEMENT, child)) or 0.0
                parts.append({"region": child, "value": v, "weight": w})
            total_w = sum(p["weight"] for p in parts)
            value = sum(p["value"] * p["weight"] for p in parts) / total_w if total_w > 0 else None
            names = dict(
                Region.objects.filter(code__in=[p["region"] for p in parts]).values_list("code", "name")
            )
            for p in parts:
                p["name"] = names.get(p["region"], p["region"])
            out = Explained(value, indicator.formula_text, [], parts, rule=indicator.aggregation)
        self._cache[key] = out
        return out

    # ---------------------------------------------------------------------------------------------------------
    def _element_kinds(self, code: str, seen: set[str]) -> set[str]:
        """Period types of the data elements an indicator reads, through the indicators it refers to."""
        if code in seen:
            return set()
        seen.add(code)
        kinds: set[str] = set()
        names: set[str] = set()
        for node in self.parsed(self.indicators[code]):
            names |= formula.references(node)
        for name in names:
            if name in self.elements:
                kinds.add(self.elements[name].period_type)
            elif name in self.indicators:
                kinds |= self._element_kinds(name, seen)
        return kinds

    def sub_periods(self, code: str) -> list[str]:
        """The periods inside this calculator's period at which the indicator's inputs are collected (the quarters
        of a year for quarterly elements); empty when the inputs are collected at this period's own type."""
        kinds = self._element_kinds(code, set())
        outer = periods.period_type(self.period)
        for kind in (periods.MONTH, periods.QUARTER):  # finest first
            if kind in kinds and kind != outer and periods.parts(self.period, kind):
                return periods.parts(self.period, kind)
        return []

    def _mean_over_periods(self, indicator: Indicator, region: str, keys: list[str]) -> Explained:
        """ "Aggregation over periods: average": the mean of the indicator's values in the periods inside this one
        (periods without a value are left out), each part one click away."""
        parts: list[dict[str, Any]] = []
        for key in keys:
            if key not in self._subs:
                self._subs[key] = Calculator(prefix=self.prefix, period=key, level=self.level)
            v = self._subs[key].indicator(indicator.code, region).value
            if v is not None:
                parts.append({"region": region, "period": key, "name": key, "value": v, "weight": 1.0})
        value = sum(p["value"] for p in parts) / len(parts) if parts else None
        return Explained(value, indicator.formula_text, [], parts, rule="period_mean")
