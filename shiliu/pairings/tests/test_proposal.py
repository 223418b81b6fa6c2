import re

import pytest

from conftest import make_unit
from shiliu.analytics.assignment import InfeasibleAssignmentError
from shiliu.pairings import proposal, services
from shiliu.pairings.models import Pairing
from shiliu.regions.models import Region


@pytest.fixture
def turpan_schools(db):
    """吐鲁番市: 44 urban schools in its street-level divisions, 83 rural schools in its towns and townships."""
    towns = list(Region.objects.filter(code__startswith="6504", level="township").order_by("code"))
    streets = [t for t in towns if t.name.endswith("街道")] or towns[:3]
    rural = [t for t in towns if not t.name.endswith("街道")]
    stages = ["primary", "junior"]
    urban_units = [
        make_unit(
            streets[i % len(streets)].code,
            f"吐鲁番城区第{i + 1}学校",
            locality="urban",
            stage=stages[i % 2],
            headcount=800 + 20 * i,
        )
        for i in range(44)
    ]
    rural_units = [
        make_unit(
            rural[i % len(rural)].code,
            f"吐鲁番农村第{i + 1}学校",
            locality="rural",
            stage=stages[i % 2],
            headcount=150 + 5 * i,
        )
        for i in range(83)
    ]
    return urban_units, rural_units


def _create(client, form, token=""):
    """Press "Create these pairings", read the confirmation, and confirm it."""
    page = client.post("/pairings/propose/", {**form, "action": "create", "submission": token})
    assert page.status_code == 200
    assert not Pairing.objects.exists()  # nothing is created before the confirmation
    text = page.content.decode()
    pairs = re.findall(r'name="pair" value="(\d+-\d+)"', text)
    token = token or re.search(r'name="submission" value="([0-9a-f]{32})"', text).group(1)
    return client.post(
        "/pairings/propose/", {**form, "action": "confirm", "submission": token, "pair": pairs}
    ), text


@pytest.fixture
def turpan(db):
    from conftest import make_user

    return make_user("turpan", "commission_staff", "6504")


@pytest.mark.django_db
def test_44_urban_schools_take_83_rural_ones_at_most_two_each(turpan_schools):
    urban, rural = turpan_schools
    result = proposal.propose(a_units=urban, b_units=rural, max_per_a=2)
    assert len(result.pairs) == 83
    assert sorted(p.b.pk for p in result.pairs) == sorted(u.pk for u in rural)
    loads = {}
    for p in result.pairs:
        loads[p.a.pk] = loads.get(p.a.pk, 0) + 1
    assert max(loads.values()) <= 2
    assert all(p.a.stage == p.b.stage for p in result.pairs)  # stages match whenever capacity allows
    assert all(p.reasons for p in result.pairs)


@pytest.mark.django_db
def test_too_few_places_says_by_how_much(turpan_schools):
    urban, rural = turpan_schools
    result = proposal.propose(a_units=urban, b_units=rural, max_per_a=1)
    assert not result.pairs and result.shortfall == 39
    assert "39" in result.message


@pytest.mark.django_db
def test_removed_pairs_stay_out_and_locked_pairs_stay_in(turpan_schools):
    urban, rural = turpan_schools
    first = proposal.propose(a_units=urban, b_units=rural, max_per_a=2)
    struck = first.pairs[0]
    kept = first.pairs[1]
    second = proposal.propose(
        a_units=urban,
        b_units=rural,
        max_per_a=2,
        removed={(struck.a.pk, struck.b.pk)},
        locked={(kept.a.pk, kept.b.pk)},
    )
    pairs = {(p.a.pk, p.b.pk) for p in second.pairs}
    assert (struck.a.pk, struck.b.pk) not in pairs and (kept.a.pk, kept.b.pk) in pairs
    assert second.total_cost >= first.total_cost - 1e-9  # a constrained optimum is never cheaper


@pytest.mark.django_db
def test_existing_pairings_are_not_proposed_again(turpan, turpan_schools):
    urban, rural = turpan_schools
    services.pairing_propose(
        actor=turpan,
        kind="co_building",
        a_region=urban[0].region,
        a_unit=urban[0],
        b_region=rural[0].region,
        b_unit=rural[0],
        activate=True,
    )
    result = proposal.propose(a_units=urban, b_units=rural, max_per_a=2)
    assert (urban[0].pk, rural[0].pk) not in {(p.a.pk, p.b.pk) for p in result.pairs}


@pytest.mark.django_db
def test_the_page_proposes_then_creates_all_pairs_at_once_and_coverage_is_full(
    client, login, turpan, turpan_schools
):
    login(turpan)
    form = {
        "kind": "co_building", "unit_kind": "school", "a_region": "6504", "a_locality": "urban", "max_per_a": 2,
        "b_region": "6504", "b_locality": "rural", "weight_stage": 1, "weight_size": 1, "weight_distance": 1,
    }  # fmt: skip
    page = client.post("/pairings/propose/", {**form, "action": "solve"}).content.decode()
    assert "共提出 83 对" in page
    short = client.post("/pairings/propose/", {**form, "max_per_a": 1, "action": "solve"}).content.decode()
    assert "还差 39 个名额" in short
    response, confirmation = _create(client, form)
    assert "创建 83 个结对？" in confirmation
    assert response.status_code == 302
    assert Pairing.objects.filter(status="active").count() == 83
    coverage = client.get(
        "/pairings/coverage/", {"region": "6504", "unit_kind": "school", "locality": "rural"}
    ).content.decode()
    assert "100.0%" in coverage


@pytest.mark.django_db
def test_sending_create_these_pairings_again_is_recognised_and_creates_nothing(
    client, login, turpan, turpan_schools
):
    login(turpan)
    form = {
        "kind": "co_building", "unit_kind": "school", "a_region": "6504", "a_locality": "urban", "max_per_a": 2,
        "b_region": "6504", "b_locality": "rural", "weight_stage": 1, "weight_size": 1, "weight_distance": 1,
    }  # fmt: skip
    page = client.post("/pairings/propose/", {**form, "action": "solve"}).content.decode()
    token = re.search(r'name="submission" value="([0-9a-f]{32})"', page).group(1)
    first, _page = _create(client, form, token)
    assert first.status_code == 302
    assert Pairing.objects.count() == 83
    pairs = [f"{p.a_unit_id}-{p.b_unit_id}" for p in Pairing.objects.all()]

    again = client.post(
        "/pairings/propose/", {**form, "action": "confirm", "submission": token, "pair": pairs}, follow=True
    )

    assert Pairing.objects.count() == 83
    text = again.content.decode()
    assert "提交过" in text and "已创建 83 个结对" in text
    assert again.redirect_chain[-1][0].startswith("/pairings/coverage/")


@pytest.mark.django_db
def test_creation_is_atomic_when_one_pair_fails(client, login, turpan, turpan_schools, monkeypatch):
    login(turpan)
    calls = {"n": 0}
    original = services.pairing_propose

    def failing(**kwargs):
        calls["n"] += 1
        if calls["n"] == 50:
            from django.core.exceptions import ValidationError

            raise ValidationError("boom")
        return original(**kwargs)

    monkeypatch.setattr(services, "pairing_propose", failing)
    form = {
        "kind": "co_building", "unit_kind": "school", "a_region": "6504", "a_locality": "urban", "max_per_a": 2,
        "b_region": "6504", "b_locality": "rural", "weight_stage": 1, "weight_size": 1, "weight_distance": 1,
    }  # fmt: skip
    response, _confirmation = _create(client, form)
    page = response.content.decode()
    assert "未创建任何结对" in page
    assert Pairing.objects.count() == 0


def test_the_solver_error_is_the_analytics_one():
    assert issubclass(InfeasibleAssignmentError, ValueError)


@pytest.mark.django_db
def test_running_the_proposal_again_after_creating_it_proposes_nothing_for_paired_units(
    client, login, turpan, turpan_schools
):
    # It proposed 83 new partners for the 83 rural schools just paired: each would have had two.
    login(turpan)
    form = {
        "kind": "co_building", "unit_kind": "school", "a_region": "6504", "a_locality": "urban", "max_per_a": 2,
        "b_region": "6504", "b_locality": "rural", "weight_stage": 1, "weight_size": 1, "weight_distance": 1,
    }  # fmt: skip
    created, _page = _create(client, form)
    assert created.status_code == 302 and Pairing.objects.count() == 83

    again = client.post("/pairings/propose/", {**form, "action": "solve"}).content.decode()

    assert "create-pairs" not in again
    assert "83 个乙组单位已有结对伙伴" in again
    assert "乙组单位都已有结对伙伴" in again
    listed = client.post(
        "/pairings/propose/", {**form, "existing": "locked", "action": "solve"}
    ).content.decode()
    assert listed.count('data-testid="existing-pair"') == 83 and "create-pairs" not in listed


@pytest.mark.django_db
def test_existing_partners_use_up_the_places_of_group_a(turpan, turpan_schools):
    urban, rural = turpan_schools
    for b in rural[:2]:
        services.pairing_propose(
            actor=turpan, kind="co_building", a_region=urban[0].region, a_unit=urban[0],
            b_region=b.region, b_unit=b, activate=True,
        )  # fmt: skip
    result = proposal.propose(a_units=urban, b_units=rural, max_per_a=2)
    assert result.already_paired == 2 and result.places_used == 2
    assert len(result.new_pairs) == 81
    assert urban[0].pk not in {p.a.pk for p in result.new_pairs}  # its two places are taken
    assert not {rural[0].pk, rural[1].pk} & {p.b.pk for p in result.new_pairs}


@pytest.mark.django_db
def test_a_confirmation_edited_by_hand_cannot_give_a_unit_a_second_partner(
    client, login, turpan, turpan_schools
):
    """Changing a pair on the confirmation page (or a second tab's solution) gave a rural school a second partner."""
    urban, rural = turpan_schools
    services.pairing_propose(
        actor=turpan, kind="co_building", a_region=urban[0].region, a_unit=urban[0],
        b_region=rural[0].region, b_unit=rural[0], activate=True,
    )  # fmt: skip
    login(turpan)
    form = {
        "kind": "co_building", "unit_kind": "school", "a_region": "6504", "a_locality": "urban", "max_per_a": 2,
        "b_region": "6504", "b_locality": "rural", "weight_stage": 1, "weight_size": 1, "weight_distance": 1,
    }  # fmt: skip
    for pairs in (
        [f"{urban[1].pk}-{rural[0].pk}"],  # rural[0] has a partner already
        [f"{urban[1].pk}-{rural[1].pk}", f"{urban[2].pk}-{rural[1].pk}"],  # one school twice
        [f"{urban[0].pk}-{rural[1].pk}", f"{urban[0].pk}-{rural[2].pk}"],  # urban[0]: 1 + 2 > 2 places
    ):
        page = client.post(
            "/pairings/propose/", {**form, "action": "confirm", "pair": pairs}, follow=True
        ).content.decode()
        assert "未创建任何结对" in page, pairs
        assert Pairing.objects.count() == 1, pairs
    with pytest.raises(services.ValidationError):
        services.pairings_create_many(
            actor=turpan, kind="co_building", pairs=[(urban[3], rural[0])], max_per_a=2
        )


@pytest.mark.django_db
def test_groups_that_overlap_are_refused_instead_of_proposing_mirror_pairs(
    client, login, turpan, turpan_schools
):
    login(turpan)
    form = {
        "kind": "co_building", "unit_kind": "school", "a_region": "6504", "a_locality": "", "max_per_a": 2,
        "b_region": "6504", "b_locality": "", "weight_stage": 1, "weight_size": 1, "weight_distance": 1,
    }  # fmt: skip
    page = client.post("/pairings/propose/", {**form, "action": "solve"}).content.decode()
    assert "两组有 127 个相同的单位" in page and "create-pairs" not in page
    empty = client.post("/pairings/propose/", {**form, "action": "confirm"}, follow=True).content.decode()
    assert "未选择任何结对" in empty and "已创建 0 个结对" not in empty
