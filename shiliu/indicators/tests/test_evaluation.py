"""Systems and weights (typed, AHP, entropy), evaluation runs (vetoes, reproducibility, sensitivity), embedding."""

from __future__ import annotations

import numpy as np
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shiliu.indicators import embedding, evaluation, services
from shiliu.indicators.models import DataValue, EmbeddedRuleSetting, IndicatorSystem, SystemNode, WeightMethod
from shiliu.regions.models import Region

from .conftest import BASE, C1, C2, entries

pytestmark = pytest.mark.usefixtures("catalogue", "communities")


def system():
    return IndicatorSystem.objects.get(code="bagong_bayou")


def test_the_shipped_systems_have_their_dimensions_and_weights_summing_to_one():
    bagong = system()
    dims = list(bagong.nodes.filter(parent=None).values_list("name", flat=True))
    assert dims == ["共居", "共富", "共学", "共建", "共享", "共事", "共乐", "共维"]
    assert sum(w for _n, w in evaluation.leaves(bagong)) == pytest.approx(1)
    four = IndicatorSystem.objects.get(code="four_dimensions")
    assert list(four.nodes.filter(parent=None).values_list("name", flat=True)) == [
        "空间互嵌",
        "关系互嵌",
        "文化互嵌",
        "心理互嵌",
    ]


def test_typed_weights_must_sum_to_one(expert):
    s = system()
    dims = list(s.nodes.filter(parent=None))
    with pytest.raises(ValidationError) as exc:
        services.weights_typed(actor=expert, parent=None, system=s, weights={d.pk: 0.2 for d in dims})
    assert "1.600" in str(exc.value)
    assert SystemNode.objects.get(pk=dims[0].pk).weight == 0.15
    services.weights_typed(actor=expert, parent=None, system=s, weights={d.pk: 1 / 8 for d in dims})
    assert SystemNode.objects.get(pk=dims[0].pk).weight == pytest.approx(0.125)


def test_ahp_sets_weights_and_refuses_inconsistent_judgements_naming_the_worst(expert):
    s = system()
    parent = s.nodes.get(name="共维")  # three indicators
    services.weights_ahp(actor=expert, parent=parent, system=s, judgements={(0, 1): 2, (0, 2): 4, (1, 2): 2})
    weights = [c.weight for c in s.nodes.filter(parent=parent).order_by("order")]
    assert weights == pytest.approx([4 / 7, 2 / 7, 1 / 7], rel=1e-6)
    assert IndicatorSystem.objects.get(pk=s.pk).weight_method == WeightMethod.AHP
    with pytest.raises(ValidationError) as exc:
        services.weights_ahp(
            actor=expert, parent=parent, system=s, judgements={(0, 1): 9, (0, 2): 1 / 9, (1, 2): 9}
        )
    ((field, messages),) = exc.value.message_dict.items()
    assert field.startswith("a_") and "0.10" in messages[0]
    assert [c.weight for c in s.nodes.filter(parent=parent).order_by("order")] == pytest.approx(weights)


def test_a_matrix_that_is_not_reciprocal_is_refused_with_its_cell():
    with pytest.raises(ValidationError) as exc:
        services.check_reciprocal([[1, 3], [3, 1]])
    assert "1" in str(exc.value) and "2" in str(exc.value)


def test_the_most_inconsistent_judgement_is_the_one_that_breaks_transitivity():
    a = np.array([[1, 2, 4, 8], [1 / 2, 1, 2, 4], [1 / 4, 1 / 2, 1, 1 / 9], [1 / 8, 1 / 4, 9, 1]])
    i, j, _implied = services.most_inconsistent(a)
    assert (i, j) == (2, 3)


def _three_communities(user):
    for code, mixed, resolved in ((C1, 300.0, 9.0), (C2, 100.0, 5.0)):
        services.values_enter(
            actor=user,
            region=Region.objects.get(code=code),
            period="2026Q2",
            entries=entries({**BASE, "households_mixed": mixed, "disputes_resolved": resolved}),
            source="台账",
        )


def test_a_run_ranks_caps_a_veto_and_reproduces_after_the_data_changed(xinyuan):
    _three_communities(xinyuan)
    run = services.run_create(
        actor=xinyuan, system=system(), region=Region.objects.get(code="654025"), period="2026Q2"
    )
    rows = evaluation.ranked_rows(run)
    assert [r["code"] for r in rows] == [C1, C2]
    # C2 resolves 50 % of its disputes, under the 80 % pass mark of a veto item: capped at 0.6 with the reason.
    vetoed = next(r for r in rows if r["code"] == C2)
    assert vetoed["vetoes"][0]["threshold"] == 80 and vetoed["score"] <= 60
    assert all(r["bars"] for r in rows)
    DataValue.objects.filter(element__code="households_mixed").update(value=1)
    assert evaluation.compute_results(run.snapshot, run.method) == run.results
    assert len(run.results["sensitivity"]) == len(run.snapshot["indicators"])


def test_what_if_moves_one_weight_and_reports_rank_changes(xinyuan):
    _three_communities(xinyuan)
    run = services.run_create(
        actor=xinyuan,
        system=system(),
        region=Region.objects.get(code="654025"),
        period="2026Q2",
        aggregation="topsis",
    )
    result = evaluation.what_if(run.snapshot, run.method, 0, 0.1)
    assert sum(result["weights"]) == pytest.approx(1)
    assert len(result["rows"]) == 2 and result["moved"] == sum(r["moved"] for r in result["rows"])


def test_a_run_needs_two_units_and_the_jurisdiction(xinyuan, outsider):
    with pytest.raises(ValidationError):
        services.run_create(
            actor=xinyuan, system=system(), region=Region.objects.get(code="654025"), period="2026Q2"
        )
    with pytest.raises(PermissionDenied):
        services.run_create(
            actor=outsider, system=system(), region=Region.objects.get(code="654025"), period="2026Q2"
        )


def test_a_run_is_approved_by_someone_else(xinyuan, yili):
    _three_communities(xinyuan)
    run = services.run_create(
        actor=xinyuan, system=system(), region=Region.objects.get(code="654025"), period="2026Q2"
    )
    with pytest.raises(PermissionDenied):
        services.run_approve(actor=xinyuan, run=run)
    services.run_approve(actor=yili, run=run)
    assert run.status == "approved"


def test_entropy_weights_come_from_the_data(expert, xinyuan):
    _three_communities(xinyuan)
    s = system()
    weights = services.weights_entropy(
        actor=expert, system=s, region=Region.objects.get(code="654025"), period="2026Q2"
    )
    assert sum(weights) == pytest.approx(1)
    assert sum(w for _n, w in evaluation.leaves(s)) == pytest.approx(1)


def test_embedding_classifies_each_community_with_its_conditions(xinyuan):
    services.values_enter(
        actor=xinyuan,
        region=Region.objects.get(code=C1),
        period="2026Q2",
        entries=entries(BASE),
        source="台账",
    )
    services.values_enter(
        actor=xinyuan,
        region=Region.objects.get(code=C2),
        period="2026Q2",
        entries=entries({**BASE, "population__17": 1990.0, "population__01": 10.0}),
        source="台账",
    )
    EmbeddedRuleSetting.objects.create(
        min_groups=2, min_group_share=0.1, min_evenness=0.3, max_largest_share=0.9, min_population=100
    )
    result = embedding.measure("654025", "2026Q2")
    verdicts = {c["code"]: c for c in result["communities"]}
    assert verdicts[C1]["embedded"] is True
    assert verdicts[C2]["embedded"] is False
    failed = {k["key"] for k in verdicts[C2]["conditions"] if not k["passed"]}
    assert failed == {"groups_at_min_share", "evenness", "largest_share"}
    levels = {a["level"] for a in result["areas"]}
    assert levels == {"township", "county"}
