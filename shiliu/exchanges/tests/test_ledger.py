import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from conftest import exported
from shiliu.exchanges.ledger import selectors as ledger_selectors
from shiliu.exchanges.ledger import services as ledger_services
from shiliu.exchanges.models import Activity, ActivityType
from shiliu.exchanges.statistics import selectors as statistics_selectors
from shiliu.lib import clock
from shiliu.pairings import services as pairing_services
from shiliu.regions.models import EthnicGroup, Region


def region(code):
    return Region.objects.get(code=code)


def group(code):
    return EthnicGroup.objects.get(code=code)


def visit(**extra):
    data = {
        "title": "新源县民族团结先进模范赴扬州交流考察",
        "activity_type": ActivityType.objects.get(name="互访考察"),
        "plan_embedding": True,
        "start_date": dt.date(2026, 9, 10),
        "end_date": dt.date(2026, 9, 15),
        "place": "扬州",
        "sending_region": region("654025"),
        "receiving_region": region("3210"),
    }
    data.update(extra)
    return data


ROWS = [
    {"category": "cadre", "ethnic_group": "17", "age_band": "o35", "gender": "m", "count": 6},
    {"category": "public", "ethnic_group": "01", "age_band": "18_35", "gender": "f", "count": 9},
    {"category": "public", "ethnic_group": "05", "age_band": "o35", "gender": "f", "count": 3},
]


def rows():
    return [{**r, "ethnic_group": group(r["ethnic_group"])} for r in ROWS]


@pytest.mark.django_db
def test_one_side_records_the_other_confirms_and_it_counts_once_for_each_role(yangzhou, xinyuan, paired):
    a = ledger_services.activity_record(actor=xinyuan, data=visit(), participations=rows())
    assert a.status == "submitted" and a.recorded_by_side == "sending" and a.pairing == paired
    with pytest.raises(PermissionDenied):
        ledger_services.activity_confirm(actor=xinyuan, activity=a)  # not the other side
    assert (
        statistics_selectors.activity_stats(user=yangzhou, region="3210").batches == 0
    )  # unconfirmed: not counted
    ledger_services.activity_confirm(actor=yangzhou, activity=a)
    yz = statistics_selectors.activity_stats(user=yangzhou, region="3210")
    xy = statistics_selectors.activity_stats(user=xinyuan, region="654025")
    assert (yz.batches, yz.person_times) == (1, 18) and (xy.batches, xy.person_times) == (1, 18)
    assert yz.by_role == {"sending": (0, 0), "receiving": (1, 18)}
    assert xy.by_role == {"sending": (1, 18), "receiving": (0, 0)}
    assert yz.top_partners == [("654025", "新源县", 1)]
    # Both sides lie in 中国: the national total counts the activity once, not twice.
    from conftest import make_user

    admin = make_user("root", "platform_admin", None)
    assert statistics_selectors.activity_stats(user=admin, region="").batches == 1


@pytest.mark.django_db
def test_the_other_side_may_correct_before_confirming(yangzhou, xinyuan, paired):
    a = ledger_services.activity_record(actor=xinyuan, data=visit(), participations=rows())
    corrected = rows()[:2]
    ledger_services.activity_confirm(actor=yangzhou, activity=a, corrections=corrected)
    assert statistics_selectors.activity_stats(user=yangzhou, region="3210").person_times == 15


@pytest.mark.django_db
def test_an_edit_after_confirmation_needs_reconfirmation(yangzhou, xinyuan, paired):
    a = ledger_services.activity_confirm(
        actor=yangzhou,
        activity=ledger_services.activity_record(actor=xinyuan, data=visit(), participations=rows()),
    )
    edited = ledger_services.activity_update(
        actor=xinyuan, activity=a, data={"title": "改名后的互访"}, participations=rows()
    )
    assert edited.status == "submitted" and edited.version == 2
    assert statistics_selectors.activity_stats(user=yangzhou, region="3210").batches == 0
    with pytest.raises(PermissionDenied):
        ledger_services.activity_update(actor=yangzhou, activity=a, data={}, participations=rows())


@pytest.mark.django_db
def test_ethnic_cells_under_five_are_suppressed_outside_the_parties(
    yangzhou, xinyuan, paired, xinyuan_coordinator
):
    from conftest import make_user

    ledger_services.activity_confirm(
        actor=yangzhou,
        activity=ledger_services.activity_record(actor=xinyuan, data=visit(), participations=rows()),
    )
    # A school's coordinator reads the county's figures but is no party: 3 is "<5", and 6 is hidden beside it.
    shown = {
        code: value
        for code, _name, value in statistics_selectors.activity_stats(
            user=xinyuan_coordinator, region="654025"
        ).by_ethnic_group
    }
    assert shown == {"01": "9", "17": "×", "05": "<5"}
    # Commission staff over a party, at its level or above, see their own figures.
    province = make_user("jiangsu", "commission_staff", "32")
    for user, code in ((yangzhou, "3210"), (province, "32")):
        own = {
            c: value
            for c, _name, value in statistics_selectors.activity_stats(user=user, region=code).by_ethnic_group
        }
        assert own["05"] == "3"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"end_date": dt.date(2026, 9, 1)}, "end_date"),
        ({"plan_embedding": False}, "plan_youth"),
        ({"receiving_region": Region(code="654025")}, "receiving_region"),
    ],
)
def test_bad_activities_are_refused_and_nothing_is_saved(xinyuan, paired, change, field):
    with pytest.raises(ValidationError) as info:
        ledger_services.activity_record(actor=xinyuan, data=visit(**change), participations=rows())
    assert field in info.value.message_dict
    assert not Activity.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("count", [0, -3, 1_000_000])
def test_absurd_counts_are_refused_with_the_row(xinyuan, paired, count):
    bad = rows()
    bad[1]["count"] = count
    with pytest.raises(ValidationError, match="2"):
        ledger_services.activity_record(actor=xinyuan, data=visit(), participations=bad)
    assert not Activity.objects.exists()


@pytest.mark.django_db
def test_a_party_outside_any_pairing_is_refused(xinyuan, yangzhou):
    with pytest.raises(ValidationError, match="结对|pairing"):
        ledger_services.activity_record(
            actor=xinyuan, data=visit(receiving_region=region("510104")), participations=rows()
        )


@pytest.mark.django_db
def test_a_coordinator_records_for_their_own_unit_only(
    xinyuan_coordinator, xy_school, yz_school, yangzhou, paired
):
    a = ledger_services.activity_record(
        actor=xinyuan_coordinator,
        data=visit(sending_unit=xy_school, receiving_unit=yz_school, plan_youth=True),
        participations=rows(),
    )
    assert a.sending_region_id == "654025" and a.receiving_region_id == "321002"
    ledger_services.activity_confirm(actor=yangzhou, activity=a)
    with pytest.raises(PermissionDenied):
        ledger_services.activity_record(
            actor=xinyuan_coordinator, data=visit(), participations=rows()
        )  # no unit of theirs


@pytest.mark.django_db
def test_cancelling_needs_a_reason_and_removes_it_from_the_numbers(yangzhou, xinyuan, paired):
    a = ledger_services.activity_confirm(
        actor=yangzhou,
        activity=ledger_services.activity_record(actor=xinyuan, data=visit(), participations=rows()),
    )
    with pytest.raises(ValidationError):
        ledger_services.activity_cancel(actor=yangzhou, activity=a, reason="")
    ledger_services.activity_cancel(actor=yangzhou, activity=a, reason="天气原因取消")
    assert statistics_selectors.activity_stats(user=yangzhou, region="3210").batches == 0


@pytest.mark.django_db
def test_a_cancelled_activity_is_not_cancelled_again_and_keeps_its_first_reason(yangzhou, xinyuan, paired):
    a = ledger_services.activity_record(actor=xinyuan, data=visit(), participations=rows())
    ledger_services.activity_cancel(actor=yangzhou, activity=a, reason="天气原因取消")
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        ledger_services.activity_cancel(actor=xinyuan, activity=a, reason="改期")
    assert refused.value.messages == ["该活动已经取消（原因：天气原因取消）。"]
    a.refresh_from_db()
    assert (a.status, a.cancel_reason) == ("cancelled", "天气原因取消")


@pytest.mark.django_db
def test_the_drill_down_lists_the_activities_behind_a_number(yangzhou, xinyuan, paired):
    a = ledger_services.activity_confirm(
        actor=yangzhou,
        activity=ledger_services.activity_record(actor=xinyuan, data=visit(), participations=rows()),
    )
    base = {"user": yangzhou, "region": "3210", "status": "confirmed"}
    assert list(ledger_selectors.activity_list(**base, role="receiving")) == [a]
    assert list(ledger_selectors.activity_list(**base, role="sending")) == []
    assert list(
        ledger_selectors.activity_list(**base, plan="embedding", ethnic_group="17", category="cadre")
    ) == [a]
    assert list(ledger_selectors.activity_list(**base, plan="youth")) == []
    assert clock.today()


@pytest.mark.django_db
def test_an_activity_is_filed_under_its_units_pairing_or_else_the_region_pairing(
    yangzhou, xinyuan, paired, yz_school, xy_school, xy_hospital
):
    from conftest import make_unit

    yz_hospital = make_unit("3210", "苏北人民医院", kind="hospital")
    hospitals = pairing_services.pairing_respond(
        actor=xinyuan,
        pairing=pairing_services.pairing_propose(
            actor=yangzhou, kind="counterpart_support", a_region=region("3210"), b_region=region("654025"),
            a_unit=yz_hospital, b_unit=xy_hospital, parent=paired,
        ),
        accept=True,
    )  # fmt: skip
    schools = ledger_services.activity_record(
        actor=yangzhou, data=visit(sending_unit=yz_school, receiving_unit=xy_school), participations=[]
    )
    assert schools.pairing == paired  # the hospitals' pairing is not the schools'
    medics = ledger_services.activity_record(
        actor=yangzhou, data=visit(sending_unit=yz_hospital, receiving_unit=xy_hospital), participations=[]
    )
    assert medics.pairing == hospitals


@pytest.mark.django_db
def test_the_pairing_page_counts_its_confirmed_activities_and_links_to_them(
    client, login, yangzhou, xinyuan, paired
):
    a = ledger_services.activity_record(actor=xinyuan, data=visit(), participations=rows())
    ledger_services.activity_record(actor=xinyuan, data=visit(title="另一项活动"), participations=rows())
    ledger_services.activity_confirm(actor=yangzhou, activity=a)
    login(yangzhou)
    page = client.get(f"/pairings/{paired.pk}/").content.decode()
    # the count says what it counts in its text (it had only a tooltip)
    assert f'href="/exchanges/?pairing={paired.pk}&amp;status=confirmed">已确认 1 项</a>' in page
    listed = client.get("/exchanges/", {"pairing": paired.pk, "status": "confirmed"}).content.decode()
    assert a.title in listed and "另一项活动" not in listed


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "named"),
    [
        ({"status": "zzz"}, "状态"),
        ({"pairing": "abc"}, "结对"),
        ({"plan": "all"}, "计划"),
        ({"ethnic_group": "汉"}, "民族"),
        ({"date_from": "2026-13-45"}, "起"),
    ],
)
def test_a_filter_that_is_not_valid_is_named_on_the_page_and_refuses_the_export(
    client, login, xinyuan, paired, query, named
):
    """?pairing=abc listed every activity as if it were filtered; now the page says the filter was left out."""
    ledger_services.activity_record(actor=xinyuan, data=visit(), participations=rows())
    login(xinyuan)
    response = client.get("/exchanges/", query)
    page = response.content.decode()
    assert response.status_code == 200 and "无效" in page and named in page
    assert "1 项活动" in page  # the rest of the page still works
    assert exported(client, "/exchanges/export.xlsx", query).status_code == 400
    assert client.get("/exchanges/", {"status": "draft"}).status_code == 200
    assert "无效" not in client.get("/exchanges/", {"status": "submitted"}).content.decode()
