"""The request desk's closed loop: filing, dispatch, sign-for, transfer (to the origin commission), return, escalation,
extension, answer, close, rating, and the honest metrics — with the personas of two jurisdictions and an outsider."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from conftest import make_unit, make_user
from shiliu.lib import clock, messaging
from shiliu.residents.requests import selectors, services
from shiliu.residents.requests.models import EventKind, Rating, RoutingRule, ServiceRequest, Status

PHONE = "13912345678"


@pytest.fixture
def desk(db: Any, community: Any, community_coordinator: Any) -> dict[str, Any]:
    agency = make_unit("321002", "广陵区人力资源和社会保障局", kind="agency")
    RoutingRule.objects.create(region_id="321002001001", category="", unit=community)
    RoutingRule.objects.create(region_id="321002", category="legal_aid", unit=agency)
    return {
        "community": community,
        "coordinator": community_coordinator,
        "agency": agency,
        "agency_user": make_user("gl_hr", "unit_coordinator", "321002", agency),
        "yangzhou": make_user("yz_staff", "commission_staff", "3210"),
        "xinyuan": make_user("xy_staff", "commission_staff", "654025"),
        "yili": make_user("yl_staff", "commission_staff", "6540"),
        "outsider": make_user("cd_staff", "commission_staff", "5101"),
    }


def _file(desk: dict[str, Any], **extra: Any) -> ServiceRequest:
    from shiliu.regions.models import Region

    data = services.RequestInput(
        kind="help",
        category="employment",
        description="工地拖欠工资三个月，希望帮助讨薪",
        community=desk["community"],
        phone=PHONE,
        origin_region=Region.objects.get(code="654025"),
    )
    for key, value in extra.items():
        setattr(data, key, value)
    return services.request_file(actor=None, data=data)


def _jpeg_with_gps() -> bytes:
    from PIL import Image

    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (32.0, 23.0, 0.0)}  # GPSInfo
    exif[0x010F] = "PhoneMaker"
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_it_files_anonymously_with_a_phone_and_routes_to_the_community(desk: dict[str, Any]) -> None:
    request = _file(desk)
    assert request.status == Status.DISPATCHED
    assert request.handling_unit == desk["community"] and request.first_unit == desk["community"]
    assert request.phone_masked == "139****5678" and PHONE not in request.phone_encrypted
    assert request.tracking_number.startswith("S") and len(request.tracking_number) == 13
    assert [e.kind for e in request.events.all()] == [EventKind.FILED, EventKind.DISPATCHED]
    assert request.answer_due > request.received_at and request.sign_due is not None


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"phone": ""}, "phone"),
        ({"phone": "12345"}, "phone"),
        ({"category": ""}, "category"),
        ({"community": None}, "community"),
        ({"description": "帮"}, "description"),
    ],
)
def test_it_refuses_bad_input_and_saves_nothing(
    desk: dict[str, Any], extra: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as exc:
        _file(desk, **extra)
    assert field in exc.value.message_dict
    assert ServiceRequest.objects.count() == 0


def test_it_strips_exif_from_photos_and_refuses_files_that_are_not_images(desk: dict[str, Any]) -> None:
    from PIL import Image

    photo = SimpleUploadedFile("gps.jpg", _jpeg_with_gps(), content_type="image/jpeg")
    request = _file(desk, photos=[photo])
    stored = request.photos.get()
    with stored.image.open("rb") as fh, Image.open(fh) as image:
        assert not image.getexif()  # no GPS, no maker: nothing of the original's metadata
        assert image.size == (40, 30)
    fake = SimpleUploadedFile("x.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
    with pytest.raises(ValidationError) as exc:
        _file(desk, photos=[fake])
    assert "photos" in exc.value.message_dict
    assert ServiceRequest.objects.count() == 1


def test_the_full_loop_with_transfer_to_the_origin_commission(desk: dict[str, Any]) -> None:
    request = _file(desk)
    coordinator, xinyuan, yangzhou = desk["coordinator"], desk["xinyuan"], desk["yangzhou"]
    with pytest.raises(Http404):
        selectors.request_get(user=xinyuan, pk=request.pk)  # not theirs yet
    services.request_sign(actor=coordinator, request=request)
    services.request_transfer(actor=coordinator, request=request, to_origin=True, note="老家劳动监察协查")
    request.refresh_from_db()
    assert request.status == Status.DISPATCHED and request.handling_region_id == "654025"
    assert request.handling_unit is None and request.first_unit == desk["community"]
    # The origin commission now has it in its queue; the first handler (首办负责) still sees its progress.
    assert request in selectors.request_list(user=xinyuan, mine=True)
    assert selectors.request_get(user=coordinator, pk=request.pk) == request
    assert selectors.request_roles(user=coordinator, request=request).first
    services.request_sign(actor=xinyuan, request=request)
    services.request_answer(actor=xinyuan, request=request, reply="已联系用工单位，工资本周发放")
    assert messaging.outbox[-1].to == PHONE and request.tracking_number in messaging.outbox[-1].body
    services.request_close(actor=yangzhou, request=request)
    request.refresh_from_db()
    assert request.status == Status.CLOSED
    with pytest.raises(ValidationError):
        services.request_rate(request=request, rating=Rating.SATISFIED, phone="13900000000")  # wrong number
    services.request_rate(request=request, rating=Rating.SATISFIED, phone=PHONE, comment="谢谢")
    request.refresh_from_db()
    assert request.status == Status.RATED
    with pytest.raises(ValidationError) as exc:
        services.request_rate(request=request, rating=Rating.SATISFIED, phone=PHONE)
    assert "rating" in exc.value.message_dict


def test_it_refuses_a_rating_before_closing_and_reopens_on_dissatisfied(desk: dict[str, Any]) -> None:
    request = _file(desk)
    with pytest.raises(ValidationError) as exc:
        services.request_rate(request=request, rating=Rating.SATISFIED, phone=PHONE)
    assert "rating" in exc.value.message_dict
    services.request_sign(actor=desk["coordinator"], request=request)
    services.request_answer(actor=desk["coordinator"], request=request, reply="已转告社区网格员处理")
    services.request_close(actor=desk["yangzhou"], request=request)
    services.request_rate(request=request, rating=Rating.DISSATISFIED, phone=PHONE)
    request.refresh_from_db()
    assert request.status == Status.REVIEW
    services.request_dispatch(actor=desk["yangzhou"], request=request, unit=desk["community"])
    request.refresh_from_db()
    assert request.status == Status.DISPATCHED


def test_a_transfer_to_a_unit_no_rule_knows_is_refused(desk: dict[str, Any]) -> None:
    request = _file(desk)
    stranger = make_unit("321002", "扬州市某公司", kind="enterprise")
    with pytest.raises(ValidationError) as exc:
        services.request_transfer(actor=desk["coordinator"], request=request, unit=stranger)
    assert "unit" in exc.value.message_dict
    request.refresh_from_db()
    assert request.handling_unit == desk["community"]


def test_a_refused_return_keeps_the_dispatch_time_and_sign_deadline(desk: dict[str, Any]) -> None:
    request = _file(desk)
    dispatched_at, sign_due = request.dispatched_at, request.sign_due
    with pytest.raises(ValidationError):
        services.request_return(actor=desk["coordinator"], request=request, reason=" ")
    services.request_return(actor=desk["coordinator"], request=request, reason="不属于本社区")
    request.refresh_from_db()
    assert request.status == Status.RETURNED
    with pytest.raises(PermissionDenied):
        services.request_return_review(actor=desk["coordinator"], request=request, uphold=False, note="x")
    clock.travel(1)
    try:
        services.request_return_review(
            actor=desk["yangzhou"], request=request, uphold=False, note="就是你们社区的"
        )
    finally:
        clock.reset()
    request.refresh_from_db()
    assert request.status == Status.DISPATCHED
    assert (request.dispatched_at, request.sign_due) == (dispatched_at, sign_due)
    # An upheld return dispatches elsewhere with a new sign-for clock, and the answer clock never moves.
    answer_due = request.answer_due
    services.request_return(actor=desk["coordinator"], request=request, reason="应由人社局处理")
    services.request_return_review(actor=desk["yangzhou"], request=request, uphold=True, unit=desk["agency"])
    request.refresh_from_db()
    assert request.handling_unit == desk["agency"] and request.answer_due == answer_due


def test_extensions_are_asked_before_the_deadline_and_approved_only_by_the_level_above(
    desk: dict[str, Any],
) -> None:
    request = _file(desk)
    services.request_sign(actor=desk["coordinator"], request=request)
    extension = services.extension_ask(
        actor=desk["coordinator"], request=request, days=3, reason="需协调用工单位"
    )
    with pytest.raises(PermissionDenied):
        services.extension_decide(actor=desk["coordinator"], extension=extension, approve=True)
    before = request.answer_due
    services.extension_decide(actor=desk["yangzhou"], extension=extension, approve=True)
    request.refresh_from_db()
    assert request.answer_due > before
    clock.travel(60)
    try:
        with pytest.raises(ValidationError) as exc:
            services.extension_ask(actor=desk["coordinator"], request=request, days=2, reason="还要时间")
        assert "days" in exc.value.message_dict
    finally:
        clock.reset()


def test_overdue_requests_escalate_and_count_as_late(desk: dict[str, Any]) -> None:
    late = _file(desk)
    done = _file(desk, kind="consultation")
    services.request_sign(actor=desk["coordinator"], request=done)
    services.request_answer(actor=desk["coordinator"], request=done, reply="已答复政策咨询内容")
    clock.travel(30)
    try:
        run = services.clocks_run()
        late.refresh_from_db()
        assert run.escalated == 1 and late.supervisor_region_id == "321002"
        assert late.events.filter(kind=EventKind.ESCALATED).exists()
        [row] = selectors.metrics(user=desk["yangzhou"])
        # Closed-only arithmetic would say 100 %; the open overdue request counts as late.
        assert row.counts["on_time"] == 1 and row.counts["late"] == 1 and row.on_time_rate == 0.5
        assert list(selectors.request_list(user=desk["yangzhou"], metric="late")) == [late]
    finally:
        clock.reset()


def test_a_request_not_signed_for_in_two_working_hours_escalates_at_the_next_clock_pass(
    desk: dict[str, Any],
) -> None:
    from shiliu.notifications.models import Notification

    request = _file(desk)
    assert request.status == Status.DISPATCHED and request.sign_due is not None
    before = services.clocks_run(now=request.sign_due - dt.timedelta(minutes=5))
    request.refresh_from_db()
    assert before.escalated == 0 and request.escalation_count == 0
    assert Notification.objects.filter(
        key=f"request-{request.pk}-sign-before-{request.dispatched_at:%Y%m%d%H%M%S}"
    ).exists()
    # Minutes after the sign-for deadline (the same day, long before the answer deadline), not the next day.
    run = services.clocks_run(now=request.sign_due + dt.timedelta(minutes=10))
    request.refresh_from_db()
    assert run.escalated == 1 and request.escalation_count == 1 and request.supervisor_region_id == "321002"
    assert services.clocks_run(now=request.sign_due + dt.timedelta(minutes=20)).escalated == 0


def test_exclusion_needs_the_level_above_and_a_reason(desk: dict[str, Any]) -> None:
    request = _file(desk)
    with pytest.raises(PermissionDenied):
        services.request_exclude(actor=desk["coordinator"], request=request, reason="恶意重复投诉")
    with pytest.raises(ValidationError):
        services.request_exclude(actor=desk["yangzhou"], request=request, reason="")
    services.request_exclude(actor=desk["yangzhou"], request=request, reason="恶意重复投诉，已核实")
    [row] = selectors.metrics(user=desk["yangzhou"])
    assert row.counts["all"] == 0 and row.counts["excluded"] == 1


def test_an_outsider_sees_nothing(desk: dict[str, Any]) -> None:
    request = _file(desk)
    with pytest.raises(Http404):
        selectors.request_get(user=desk["outsider"], pk=request.pk)
    assert not selectors.request_list(user=desk["outsider"]).exists()
    assert selectors.metrics(user=desk["outsider"]) == []


def test_duplicates_are_suggested_and_merged_with_both_residents_told(desk: dict[str, Any]) -> None:
    first = _file(desk)
    second = _file(desk, description="工地拖欠工资三个月了，请帮助讨薪", phone="13800001111")
    assert selectors.duplicate_candidates(request=second) == [first]
    messaging.outbox.clear()
    services.request_merge(actor=desk["yangzhou"], request=second, into=first)
    second.refresh_from_db()
    assert second.status == Status.MERGED and second.merged_into == first
    assert {m.to for m in messaging.outbox} == {PHONE, "13800001111"}


def test_hotline_orders_are_filed_once(desk: dict[str, Any], settings: Any) -> None:
    settings.SHILIU_HOTLINE_CONNECTOR = "shiliu.residents.requests.hotline.LocmemConnector"
    from shiliu.residents.requests import hotline

    hotline.sent.clear()
    data = services.RequestInput(
        kind="complaint",
        category="housing",
        description="出租屋漏水房东不修",
        community=desk["community"],
        phone=PHONE,
        hotline_order_number="YZ12345-20261125-0001",
    )
    first, created = services.hotline_order_receive(data=data)
    again, created_again = services.hotline_order_receive(data=data)
    assert created and not created_again and first == again
    services.request_sign(actor=desk["coordinator"], request=first)
    services.request_answer(actor=desk["coordinator"], request=first, reply="已约谈房东，三日内维修")
    assert hotline.sent[-1].order_number == "YZ12345-20261125-0001"


def test_a_calendar_year_without_data_gives_a_marked_deadline(desk: dict[str, Any]) -> None:
    clock_offset = (dt.date(2026, 12, 31) - clock.today()).days
    clock.travel(clock_offset)
    try:
        request = _file(desk, kind="complaint")
    finally:
        clock.reset()
    assert request.due_estimated and request.answer_due.year == 2027
