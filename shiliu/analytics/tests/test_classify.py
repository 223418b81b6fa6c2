import pytest

from shiliu.analytics.classify import EmbeddedRule, classify


def test_each_verdict_lists_the_conditions_that_passed_and_failed():
    rule = EmbeddedRule(min_groups=2, min_group_share=0.1, min_evenness=0.5, max_largest_share=0.8)
    mixed, dominated, tiny_minority = classify([[60, 40, 0], [95, 5, 0], [85, 8, 7]], rule)
    assert mixed.embedded and all(mixed.conditions.values())
    assert not dominated.embedded
    assert dominated.conditions == {
        "population": True,
        "groups_at_min_share": False,
        "evenness": False,
        "largest_share": False,
    }
    assert dominated.values["largest_share"] == pytest.approx(0.95)
    assert not tiny_minority.embedded and not tiny_minority.conditions["groups_at_min_share"]


def test_optional_conditions_can_be_switched_off_and_bad_rules_are_refused():
    only_groups = EmbeddedRule(min_groups=2, min_group_share=0.05, min_evenness=None, max_largest_share=None)
    (verdict,) = classify([[95, 5]], only_groups)
    assert verdict.embedded and set(verdict.conditions) == {"population", "groups_at_min_share"}
    with pytest.raises(ValueError):
        EmbeddedRule(min_group_share=1.5)


def test_an_empty_unit_is_never_embedded():
    (verdict,) = classify([[0, 0]], EmbeddedRule())
    assert not verdict.embedded and not verdict.conditions["population"]
