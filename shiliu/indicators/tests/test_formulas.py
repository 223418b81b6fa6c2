"""The expression language, formula indicators (unknown codes, cycles), their explanation and aggregation."""

from __future__ import annotations

import contextlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from shiliu.indicators import formula, services
from shiliu.indicators.compute import Calculator
from shiliu.indicators.models import Indicator
from shiliu.regions.models import Region

from .conftest import BASE, C1, C2, entries


def test_it_parses_and_evaluates_with_precedence_and_functions():
    node = formula.parse("a + b * 2 - max(c, 10) / abs(-d)")
    assert formula.evaluate(node, {"a": 1, "b": 3, "c": 4, "d": 5}) == 1 + 6 - 10 / 5
    assert formula.references(node) == {"a", "b", "c", "d"}


def test_a_missing_input_or_a_division_by_zero_is_undefined():
    assert formula.evaluate(formula.parse("a / b"), {"a": 1, "b": 0}) is None
    assert formula.evaluate(formula.parse("a + b"), {"a": 1}) is None


@pytest.mark.parametrize(
    "text", ["__import__('os')", "a +", "a ** 2", "open(1)", "(a", "a b", "a.b", "", "x[0]", "lambda: 1"]
)
def test_it_refuses_anything_outside_the_language(text):
    with pytest.raises(formula.FormulaError):
        formula.parse(text)


@settings(max_examples=50, deadline=None)
@given(st.text(max_size=40))
def test_any_text_either_parses_or_raises_a_formula_error(text):
    with contextlib.suppress(formula.FormulaError):
        formula.parse(text)


def test_it_finds_a_cycle():
    assert formula.find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}, "a") == ["a", "b", "c", "a"]
    assert formula.find_cycle({"a": {"b"}, "b": set()}, "a") is None


@pytest.mark.usefixtures("catalogue")
class TestIndicatorSave:
    def data(self, **extra):
        return {
            "code": "new_rate",
            "name": "新比率",
            "kind": "expression",
            "expression": "households_mixed / households",
            "factor": 1.0,
            "aggregation": "sum",
            "period_aggregation": "sum",
            **extra,
        }

    def test_it_saves_a_valid_formula(self, expert):
        services.indicator_save(actor=expert, data=self.data())
        assert Indicator.objects.get(code="new_rate").expression == "households_mixed / households"

    def test_it_refuses_an_unknown_code(self, expert):
        with pytest.raises(ValidationError) as exc:
            services.indicator_save(
                actor=expert, data=self.data(expression="households_mixed / nothing_here")
            )
        assert "nothing_here" in exc.value.message_dict["expression"][0]
        assert not Indicator.objects.filter(code="new_rate").exists()

    def test_it_refuses_a_formula_about_itself(self, expert):
        with pytest.raises(ValidationError) as exc:
            services.indicator_save(actor=expert, data=self.data(expression="new_rate + 1"))
        assert "expression" in exc.value.message_dict

    def test_it_refuses_a_cycle_through_other_indicators(self, expert):
        services.indicator_save(actor=expert, data=self.data(code="first", expression="households"))
        services.indicator_save(actor=expert, data=self.data(code="second", expression="first * 2"))
        first = Indicator.objects.get(code="first")
        with pytest.raises(ValidationError) as exc:
            services.indicator_save(
                actor=expert, data=self.data(code="first", expression="second + 1"), indicator=first
            )
        assert "first → second → first" in exc.value.message_dict["expression"][0]
        first.refresh_from_db()
        assert first.expression == "households"

    def test_it_refuses_a_syntax_error_with_its_position(self, expert):
        with pytest.raises(ValidationError) as exc:
            services.indicator_save(actor=expert, data=self.data(expression="households +* 2"))
        assert "13" in exc.value.message_dict["expression"][0]

    def test_a_county_commission_does_not_edit_shared_definitions(self, xinyuan):
        with pytest.raises(PermissionDenied):
            services.indicator_save(actor=xinyuan, data=self.data())


@pytest.mark.usefixtures("catalogue", "communities")
def test_values_explain_themselves_and_aggregate_up_the_tree(xinyuan):
    for code, mixed in ((C1, 200.0), (C2, 100.0)):
        services.values_enter(
            actor=xinyuan,
            region=Region.objects.get(code=code),
            period="2026Q2",
            entries=entries({**BASE, "households_mixed": mixed}),
            source="台账",
        )
    calc = Calculator(prefix="654025", period="2026Q2")
    one = calc.indicator("mixed_household_rate", C1)
    assert one.value == pytest.approx(200 / 650 * 100)
    assert {i["code"]: i["value"] for i in one.inputs} == {"households_mixed": 200, "households": 650}
    # A ratio aggregated by "sum" is the ratio of the sums, not a sum of ratios.
    county = calc.indicator("mixed_household_rate", "654025")
    assert county.value == pytest.approx(300 / 1300 * 100)
    # Population-weighted: both communities have 2,000 residents.
    weighted = calc.indicator("satisfaction_score", "654025")
    assert weighted.value == pytest.approx(90) and len(weighted.parts) == 2


@pytest.mark.usefixtures("catalogue", "communities")
def test_a_year_sums_its_quarters(xinyuan):
    for period, mixed in (("2026Q1", 100.0), ("2026Q2", 120.0)):
        services.values_enter(
            actor=xinyuan,
            region=Region.objects.get(code=C1),
            period=period,
            entries=entries({**BASE, "households_mixed": mixed}),
            source="台账",
        )
    calc = Calculator(prefix="654025", period="2026")
    assert calc.element_value("households_mixed", C1) == 220
    assert calc.element_value("satisfaction", C1) == 90  # scores average


@pytest.mark.usefixtures("catalogue", "communities")
def test_an_indicator_averaged_over_periods_is_the_mean_of_its_quarters(login, xinyuan):
    for period, mixed, households in (("2026Q1", 200.0, 650.0), ("2026Q2", 240.0, 700.0)):
        services.values_enter(
            actor=xinyuan,
            region=Region.objects.get(code=C1),
            period=period,
            entries=entries({**BASE, "households_mixed": mixed, "households": households}),
            source="台账",
        )
    # "Sum" over periods: a year's ratio is the ratio of the year's sums.
    Indicator.objects.filter(code="mixed_household_rate").update(period_aggregation="sum")
    summed = Calculator(prefix="654025", period="2026").indicator("mixed_household_rate", C1)
    assert summed.value == pytest.approx(440 / 1350 * 100)
    Indicator.objects.filter(code="mixed_household_rate").update(period_aggregation="mean")
    averaged = Calculator(prefix="654025", period="2026").indicator("mixed_household_rate", C1)
    assert averaged.value == pytest.approx((200 / 650 + 240 / 700) / 2 * 100)
    assert [p["period"] for p in averaged.parts] == ["2026Q1", "2026Q2"]  # Q3/Q4 have no value: left out
    page = login(xinyuan).get(f"/indicators/explain/mixed_household_rate/{C1}/2026/").content.decode()
    assert f"/indicators/explain/mixed_household_rate/{C1}/2026Q1/" in page
