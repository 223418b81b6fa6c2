"""Data values: validation (range, type, required, jump over last period), locking and the period workflow."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError

from shiliu.indicators import services
from shiliu.indicators.models import DataValue, PeriodReturn, ReturnEvent, ReturnStatus
from shiliu.regions.models import Region

from .conftest import BASE, C1, entries

pytestmark = pytest.mark.usefixtures("catalogue", "communities")


def enter(user, values, period="2026Q2", comment="", region=C1, source="社区台账"):
    return services.values_enter(
        actor=user,
        region=Region.objects.get(code=region),
        period=period,
        entries=entries(values, comment),
        source=source,
    )


def test_it_saves_values_with_their_source_and_enterer(xinyuan):
    enter(xinyuan, BASE)
    value = DataValue.objects.get(element__code="households", region_id=C1)
    assert value.value == 650 and value.source == "社区台账" and value.entered_by == xinyuan


def test_it_refuses_a_value_outside_the_range_and_saves_nothing(xinyuan):
    with pytest.raises(ValidationError) as exc:
        enter(xinyuan, {**BASE, "satisfaction": 130.0})
    assert "100" in exc.value.message_dict["v_satisfaction"][0]
    assert not DataValue.objects.exists()


def test_it_refuses_a_fraction_for_a_whole_number(xinyuan):
    with pytest.raises(ValidationError) as exc:
        enter(xinyuan, {**BASE, "households": 650.5})
    assert "v_households" in exc.value.message_dict
    assert not DataValue.objects.exists()


def test_it_requires_the_required_elements(xinyuan):
    with pytest.raises(ValidationError) as exc:
        enter(xinyuan, {**BASE, "households": None})
    assert "v_households" in exc.value.message_dict


def test_one_group_satisfies_an_element_required_by_group(xinyuan):
    enter(xinyuan, {**BASE, "population__05": None})
    assert DataValue.objects.filter(element__code="population").count() == 2


def test_it_flags_a_jump_over_last_period_until_a_comment_says_why(xinyuan):
    enter(xinyuan, BASE, period="2026Q1")
    with pytest.raises(ValidationError) as exc:
        enter(xinyuan, {**BASE, "households": 1300.0})
    assert "相差 100%" in exc.value.message_dict["v_households"][0]
    enter(xinyuan, {**BASE, "households": 1300.0}, comment="新建小区入住")
    assert DataValue.objects.get(element__code="households", period="2026Q2").comment == "新建小区入住"


def test_it_refuses_a_period_of_the_wrong_type(xinyuan):
    with pytest.raises(ValidationError) as exc:
        enter(xinyuan, BASE, period="2026")
    assert "2026" in str(exc.value)


def test_it_refuses_values_of_another_jurisdiction(outsider):
    with pytest.raises(PermissionDenied):
        enter(outsider, BASE)


def test_the_workflow_runs_entered_submitted_approved_accepted_and_locks(xinyuan, yili):
    enter(xinyuan, BASE)
    ret = PeriodReturn.objects.get(region_id=C1, period="2026Q2")
    services.return_submit(actor=xinyuan, ret=ret)
    with pytest.raises(ValidationError):
        enter(xinyuan, BASE)  # submitted: locked for entry
    with pytest.raises(PermissionDenied):
        services.return_approve(actor=xinyuan, ret=ret)  # not the level above the submitter
    services.return_approve(actor=yili, ret=ret)
    services.return_accept(actor=yili, ret=ret)
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.ACCEPTED
    with pytest.raises(ValidationError) as exc:
        enter(xinyuan, {**BASE, "households": 651.0})
    assert "2026Q2" in str(exc.value)
    assert DataValue.objects.get(element__code="households", region_id=C1).value == 650


def test_only_the_approver_unlocks_with_a_reason_and_it_is_audited(xinyuan, yili, expert):
    enter(xinyuan, BASE)
    ret = PeriodReturn.objects.get(region_id=C1)
    services.return_submit(actor=xinyuan, ret=ret)
    services.return_approve(actor=yili, ret=ret)
    services.return_accept(actor=yili, ret=ret)
    with pytest.raises(PermissionDenied):
        services.return_unlock(actor=xinyuan, ret=ret, reason="改错")
    with pytest.raises(ValidationError):
        services.return_unlock(actor=yili, ret=ret, reason=" ")
    services.return_unlock(actor=yili, ret=ret, reason="户数统计口径有误")
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.ENTERED
    event = ReturnEvent.objects.get(period_return=ret, action="unlock")
    assert event.actor == yili and event.reason == "户数统计口径有误"
    assert LogEntry.objects.get_for_object(ret).filter(actor=yili).exists()
    enter(xinyuan, {**BASE, "households": 651.0})


def test_submitting_needs_the_required_values(xinyuan):
    ret = services.period_return(region=Region.objects.get(code=C1), period="2026Q2")
    with pytest.raises(ValidationError) as exc:
        services.return_submit(actor=xinyuan, ret=ret)
    assert "总户数" in str(exc.value)


def test_a_returned_period_can_be_corrected(xinyuan, yili):
    enter(xinyuan, BASE)
    ret = PeriodReturn.objects.get(region_id=C1)
    services.return_submit(actor=xinyuan, ret=ret)
    with pytest.raises(ValidationError):
        services.return_reject(actor=yili, ret=ret, reason="")
    services.return_reject(actor=yili, ret=ret, reason="满意度需附调查表")
    enter(xinyuan, {**BASE, "satisfaction": 88.0})
