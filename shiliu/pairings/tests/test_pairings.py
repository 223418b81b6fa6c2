import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import load_workbook

from conftest import make_unit
from shiliu.lib import clock
from shiliu.notifications.models import Notification
from shiliu.pairings import services
from shiliu.pairings.models import ActionItem, Mechanism, Pairing, PairingStatus
from shiliu.regions.models import Region


@pytest.fixture(autouse=True)
def _clock():
    yield
    clock.reset()


def region(code):
    return Region.objects.get(code=code)


@pytest.fixture
def yz_xy(yangzhou, xinyuan):
    """The 扬州市 ↔ 新源县 region pairing, accepted."""
    p = services.pairing_propose(
        actor=yangzhou, kind="co_building", a_region=region("3210"), b_region=region("654025")
    )
    return services.pairing_respond(actor=xinyuan, pairing=p, accept=True)


@pytest.mark.django_db
def test_yangzhou_proposes_and_xinyuan_accepts(yangzhou, xinyuan, yz_school, xy_school):
    p = services.pairing_propose(
        actor=yangzhou,
        kind="co_building",
        a_region=yz_school.region,
        a_unit=yz_school,
        b_region=xy_school.region,
        b_unit=xy_school,
    )
    assert p.status == PairingStatus.PROPOSED
    assert Notification.objects.filter(recipient=xinyuan, link=f"/pairings/{p.pk}/").exists()
    with pytest.raises(PermissionDenied):
        services.pairing_respond(
            actor=yangzhou, pairing=p, accept=True
        )  # side A cannot accept its own proposal
    p = services.pairing_respond(actor=xinyuan, pairing=p, accept=True)
    assert p.status == PairingStatus.ACTIVE and p.started_on == clock.today()
    assert [e.status for e in p.events.all()] == ["proposed", "active"]


@pytest.mark.django_db
def test_declining_needs_a_reason_which_is_kept(yangzhou, xinyuan):
    p = services.pairing_propose(
        actor=yangzhou, kind="friendly_visit", a_region=region("3210"), b_region=region("654025")
    )
    with pytest.raises(ValidationError, match="理由|reason"):
        services.pairing_respond(actor=xinyuan, pairing=p, accept=False, reason=" ")
    p = services.pairing_respond(actor=xinyuan, pairing=p, accept=False, reason="今年已有三项结对")
    assert p.status == PairingStatus.DECLINED and p.events.last().reason == "今年已有三项结对"


@pytest.mark.django_db
def test_bad_pairings_are_refused_and_nothing_is_saved(
    yangzhou, xinyuan, yz_school, xy_school, cd_school, yz_xy
):
    cases = [
        {
            "a_region": yz_school.region,
            "a_unit": yz_school,
            "b_region": yz_school.region,
            "b_unit": yz_school,
        },
        {"a_region": region("3210"), "b_region": region("3210")},
        {"a_region": region("3210"), "b_region": region("654025")},  # duplicate of the open pairing
        {"a_region": yz_school.region, "a_unit": yz_school, "b_region": region("654025")},  # unit with region
    ]
    before = Pairing.objects.count()
    for case in cases:
        with pytest.raises(ValidationError):
            services.pairing_propose(actor=yangzhou, kind="co_building", **case)
    with pytest.raises(ValidationError):  # the same pairing proposed the other way round
        services.pairing_propose(
            actor=xinyuan, kind="co_building", a_region=region("654025"), b_region=region("3210")
        )
    with pytest.raises(PermissionDenied):
        services.pairing_propose(
            actor=yangzhou,
            kind="co_building",
            a_region=cd_school.region,
            a_unit=cd_school,
            b_region=xy_school.region,
            b_unit=xy_school,
        )
    assert Pairing.objects.count() == before


@pytest.mark.django_db
def test_unit_pairings_sit_under_a_region_pairing(yangzhou, xinyuan, yz_school, xy_school, cd_school, yz_xy):
    child = services.pairing_propose(
        actor=yangzhou,
        kind="co_building",
        a_region=yz_school.region,
        a_unit=yz_school,
        b_region=xy_school.region,
        b_unit=xy_school,
        parent=yz_xy,
    )
    assert child.parent == yz_xy
    outsider_unit = make_unit("510104", "成都某校")
    with pytest.raises(ValidationError):
        services.pairing_propose(
            actor=yangzhou,
            kind="co_building",
            a_region=yz_school.region,
            a_unit=yz_school,
            b_region=outsider_unit.region,
            b_unit=outsider_unit,
            parent=yz_xy,
        )


@pytest.mark.django_db
def test_a_pairing_is_paused_resumed_and_ended_with_reasons_and_history_stays(yangzhou, xinyuan, yz_xy):
    services.pairing_change_status(actor=xinyuan, pairing=yz_xy, status="paused", reason="换届")
    services.pairing_change_status(actor=yangzhou, pairing=yz_xy, status="active", reason="")
    with pytest.raises(ValidationError):
        services.pairing_change_status(actor=yangzhou, pairing=yz_xy, status="ended", reason="")
    p = services.pairing_change_status(actor=yangzhou, pairing=yz_xy, status="ended", reason="协议到期")
    assert p.status == "ended" and p.ended_on == clock.today()
    assert [e.status for e in p.events.all()] == ["proposed", "active", "paused", "active", "ended"]


@pytest.mark.django_db
def test_the_agreement_records_mechanisms_contacts_and_a_checked_document(yangzhou, yz_xy):
    pdf = SimpleUploadedFile("协议.pdf", b"%PDF-1.7\n...", content_type="application/pdf")
    seven = list(Mechanism.objects.filter(is_standard=True))
    assert [m.name for m in seven] == [
        "组织协调",
        "联席会议",
        "信息共享",
        "区域联动",
        "资源共享",
        "宣传教育",
        "友好互访",
    ]
    a = services.agreement_record(
        actor=yangzhou,
        pairing=yz_xy,
        title="扬州新源结对共建协议",
        signed_on=clock.today(),
        term_start=clock.today(),
        document=pdf,
        mechanisms=seven,
        custom_mechanisms=["干部互派"],
        a_contact="王老师",
        b_contact="阿依古丽",
    )
    assert a.mechanisms.count() == 8 and a.document.name.endswith(".pdf")


@pytest.mark.django_db
def test_the_signed_document_is_served_only_to_those_who_see_the_pairing(
    client, login, yangzhou, outsider, yz_xy
):
    pdf = SimpleUploadedFile("协议.pdf", b"%PDF-1.7\n...", content_type="application/pdf")
    a = services.agreement_record(
        actor=yangzhou,
        pairing=yz_xy,
        title="协议",
        signed_on=clock.today(),
        term_start=clock.today(),
        document=pdf,
    )
    url = f"/pairings/{yz_xy.pk}/agreements/{a.pk}/document/"
    login(yangzhou)
    assert url in client.get(f"/pairings/{yz_xy.pk}/").content.decode()
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    login(outsider)
    assert client.get(url).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [("x.pdf", b"MZ\x90\x00 not a pdf", "既不是"), ("x.exe", b"\x7fELF", "既不是")],
)
def test_documents_that_are_not_pdf_or_image_are_refused(yangzhou, yz_xy, name, content, message):
    from django.utils import translation

    translation.activate("zh-hans")
    with pytest.raises(ValidationError, match=message):
        services.agreement_record(
            actor=yangzhou,
            pairing=yz_xy,
            title="协议",
            signed_on=clock.today(),
            term_start=clock.today(),
            document=SimpleUploadedFile(name, content),
        )
    assert not yz_xy.agreements.exists()


@pytest.mark.django_db
def test_a_200_mb_document_is_refused_by_size(yangzhou, yz_xy):
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.7")
    big.size = 200 * 1024 * 1024
    with pytest.raises(ValidationError, match="20 MB"):
        services.agreement_record(
            actor=yangzhou,
            pairing=yz_xy,
            title="协议",
            signed_on=clock.today(),
            term_start=clock.today(),
            document=big,
        )


def _meeting(actor, pairing, **extra):
    return services.meeting_schedule(
        actor=actor,
        pairing=pairing,
        title="第一次联席会议",
        held_at=clock.now(),
        place="新源县会议中心",
        **extra,
    )


@pytest.mark.django_db
def test_meetings_take_attendees_from_both_sides_only(yangzhou, yz_xy, yz_school, xy_school, cd_school):
    m = _meeting(yangzhou, yz_xy, attendees=[yz_school, xy_school])
    assert set(m.attendees.all()) == {yz_school, xy_school}
    with pytest.raises(ValidationError, match="成都"):
        _meeting(yangzhou, yz_xy, attendees=[cd_school])
    with pytest.raises(ValidationError):
        services.meeting_schedule(actor=yangzhou, pairing=yz_xy, title="x", held_at=clock.now())


@pytest.mark.django_db
def test_action_items_go_overdue_and_owners_are_reminded(
    yangzhou, xinyuan, yz_xy, xy_school, xinyuan_coordinator
):
    m = _meeting(yangzhou, yz_xy)
    with pytest.raises(ValidationError):
        services.action_item_add(
            actor=yangzhou,
            meeting=m,
            title="x",
            owner=xy_school,
            deadline=clock.today() - dt.timedelta(days=1),
        )
    item = services.action_item_add(
        actor=yangzhou,
        meeting=m,
        title="互派教师10名",
        owner=xy_school,
        deadline=clock.today() + dt.timedelta(days=5),
    )
    assert not item.is_overdue
    clock.travel(2)  # three days before the deadline
    assert services.action_items_remind() >= 2  # the school's coordinator and 新源县 staff
    assert services.action_items_remind() == 0  # idempotent
    clock.travel(6)  # the day after the deadline
    assert ActionItem.objects.get(pk=item.pk).is_overdue
    services.action_items_remind()
    texts = list(Notification.objects.filter(recipient=xinyuan_coordinator).values_list("text", flat=True))
    assert any("互派教师10名" in t and ("逾期" in t or "Overdue" in t) for t in texts)
    services.action_item_set_status(actor=xinyuan_coordinator, item=item, status="done")
    item.refresh_from_db()
    assert item.status == "done" and not item.is_overdue
    done_on = item.done_on
    clock.travel(3)
    with translation.override("zh-hans"), pytest.raises(ValidationError, match="已经是“已完成”"):
        services.action_item_set_status(actor=xinyuan_coordinator, item=item, status="done")
    item.refresh_from_db()
    assert item.done_on == done_on  # the day it was done does not move


@pytest.mark.django_db
def test_both_sides_see_the_pairing_and_an_outsider_does_not(
    client, login, yangzhou, xinyuan, outsider, yz_xy
):
    for user in (yangzhou, xinyuan):
        login(user)
        assert client.get(f"/pairings/{yz_xy.pk}/").status_code == 200
        table = client.get("/pairings/").content.decode().split('data-testid="pairing-table"')[1]
        assert "扬州市" in table and "新源县" in table
    login(outsider)
    assert client.get(f"/pairings/{yz_xy.pk}/").status_code == 404
    assert "扬州市" not in client.get("/pairings/").content.decode()


@pytest.mark.django_db
def test_the_propose_accept_flow_through_the_pages(client, login, yangzhou, xinyuan, yz_school, xy_school):
    login(yangzhou)
    response = client.post(
        "/pairings/new/",
        {
            "kind": "co_building",
            "a_region": "321002",
            "a_unit": yz_school.pk,
            "b_region": "654025",
            "b_unit": xy_school.pk,
        },
    )
    p = Pairing.objects.get()
    assert response.status_code == 302
    login(xinyuan)
    page = client.get("/pairings/").content.decode()
    assert "等待您方答复" in page or "Proposals awaiting" in page
    client.post(f"/pairings/{p.pk}/respond/", {"decision": "accept"})
    p.refresh_from_db()
    assert p.status == "active"


@pytest.mark.django_db
def test_a_bad_proposal_form_gets_chinese_messages(client, login, yangzhou, yz_school):
    login(yangzhou)
    response = client.post(
        "/pairings/new/",
        {
            "kind": "co_building",
            "a_region": "321002",
            "a_unit": yz_school.pk,
            "b_region": "321002",
            "b_unit": yz_school.pk,
        },
    )
    assert response.status_code == 400 and "不能与自身结对" in response.content.decode()
    response = client.post(
        "/pairings/new/", {"kind": "co_building", "a_region": "654025", "b_region": "3210"}
    )
    assert response.status_code == 400 and "辖区" in response.content.decode()
    assert not Pairing.objects.exists()


@pytest.mark.django_db
def test_overdue_items_are_red_on_both_sides_lists(client, login, yangzhou, xinyuan, yz_xy, xy_school):
    item = services.action_item_add(
        actor=yangzhou,
        meeting=_meeting(yangzhou, yz_xy),
        title="共建图书室",
        owner=xy_school,
        deadline=clock.today(),
    )
    clock.travel(1)
    for user in (yangzhou, xinyuan):
        login(user)
        page = client.get("/pairings/items/?open=1").content.decode()
        assert "table-danger overdue" in page and "共建图书室" in page
        assert "table-danger overdue" in client.get(f"/pairings/{yz_xy.pk}/").content.decode()
    assert item.pk


@pytest.mark.django_db
def test_coverage_counts_paired_units_and_exports_them(
    client, login, xinyuan, xy_school, xy_hospital, yz_school, yangzhou
):
    extra = make_unit("654025104", "那拉提镇中心小学")
    p = services.pairing_propose(
        actor=yangzhou,
        kind="co_building",
        a_region=yz_school.region,
        a_unit=yz_school,
        b_region=xy_school.region,
        b_unit=xy_school,
    )
    services.pairing_respond(actor=xinyuan, pairing=p, accept=True)
    login(xinyuan)
    page = client.get("/pairings/coverage/", {"region": "654025", "unit_kind": "school"}).content.decode()
    assert "50.0%" in page and "扬州市育才小学" in page and extra.name in page
    sheet = load_workbook(
        io.BytesIO(client.get("/pairings/coverage.xlsx", {"region": "654025", "unit_kind": "school"}).content)
    ).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][1] == 1 and rows[1][3] == 2
    assert {r[0] for r in rows[4:]} == {"新源县第一中学", "那拉提镇中心小学"}


@pytest.mark.django_db
def test_a_200_mb_upload_is_stopped_before_it_is_read(client, login, yangzhou, yz_xy):
    login(yangzhou)
    response = client.post(
        f"/pairings/{yz_xy.pk}/agreements/new/", {"title": "x"}, CONTENT_LENGTH=str(200 * 2**20)
    )
    assert response.status_code == 413
    assert "上传内容为 200 MB，超过 25 MB 的上限" in response.content.decode()
    assert not yz_xy.agreements.exists()


@pytest.mark.django_db
def test_the_agreement_page_takes_a_pdf_and_refuses_other_files(client, login, yangzhou, yz_xy):
    login(yangzhou)
    data = {
        "title": "结对协议",
        "signed_on": "2025-01-01",
        "term_start": "2025-01-01",
        "mechanisms": [m.pk for m in Mechanism.objects.filter(is_standard=True)],
    }
    bad = client.post(
        f"/pairings/{yz_xy.pk}/agreements/new/", {**data, "document": SimpleUploadedFile("a.pdf", b"<html>")}
    )
    assert bad.status_code == 400 and "既不是" in bad.content.decode()
    good = client.post(
        f"/pairings/{yz_xy.pk}/agreements/new/",
        {**data, "document": SimpleUploadedFile("a.pdf", b"%PDF-1.4 test")},
    )
    assert good.status_code == 302 and yz_xy.agreements.get().mechanisms.count() == 7


@pytest.mark.django_db
def test_township_coverage_counts_region_pairings_of_the_towns(client, login, yangzhou, xinyuan):
    towns = list(Region.objects.filter(parent_id="654025").order_by("code"))
    for town, partner in zip(
        towns[:3], Region.objects.filter(parent_id="321002").order_by("code")[:3], strict=True
    ):
        p = services.pairing_propose(actor=yangzhou, kind="co_building", a_region=partner, b_region=town)
        services.pairing_respond(actor=xinyuan, pairing=p, accept=True)
    login(xinyuan)
    page = client.get("/pairings/coverage/", {"region": "654025", "subject": "townships"}).content.decode()
    expected = f"{100 * 3 / len(towns):.1f}%"
    assert expected in page and towns[0].name in page and towns[-1].name in page
    login(
        yangzhou
    )  # 扬州 staff cannot list 新源县's divisions as their own coverage: outside their jurisdiction
    assert client.get("/pairings/coverage/", {"region": "654025", "subject": "townships"}).status_code == 403


@pytest.mark.django_db
def test_a_unit_pairing_under_a_region_pairing_must_cross_its_two_sides(yangzhou, xinyuan, yz_school, yz_xy):
    other_yz = make_unit("321003", "邗江区实验学校")
    with pytest.raises(ValidationError, match="所属区域结对|pairing above"):
        services.pairing_propose(
            actor=yangzhou,
            kind="co_building",
            a_region=yz_school.region,
            a_unit=yz_school,
            b_region=other_yz.region,
            b_unit=other_yz,
            parent=yz_xy,
        )


@pytest.mark.django_db
def test_unit_options_can_be_limited_to_one_kind(client, login, xinyuan, xy_school, xy_hospital):
    login(xinyuan)
    every = client.get("/pairings/unit-options/", {"region": "654025"}).json()["units"]
    schools = client.get("/pairings/unit-options/", {"region": "654025", "kind": "school"}).json()["units"]
    assert {u["id"] for u in every} >= {xy_school.pk, xy_hospital.pk}
    assert [u["id"] for u in schools] == [xy_school.pk]


@pytest.mark.django_db
def test_the_coverage_export_writes_unit_names_as_text(client, login, xinyuan):
    from shiliu.lib.tests.test_downloads import EVIL, assert_no_formula

    make_unit("654025", EVIL)
    login(xinyuan)
    content = client.get("/pairings/coverage.xlsx", {"region": "654025", "unit_kind": "school"}).content
    assert_no_formula(content, EVIL)
