"""Study routes, tour groups and visitor flows; evidence on activities."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from shiliu.exchanges.ledger import services as ledger_services
from shiliu.exchanges.models import ActivityType, Evidence, StudyRoute, TourGroup
from shiliu.exchanges.tourism import selectors as tourism_selectors
from shiliu.exchanges.tourism import services as tourism_services
from shiliu.exchanges.youth import matching as youth_matching
from shiliu.exchanges.youth import services as youth_services
from shiliu.regions.models import Region

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%fake but well-headed\n"


def region(code):
    return Region.objects.get(code=code)


def tour(**extra):
    data = {
        "name": "扬州游客赴新源交流团", "origin_region": region("3210"), "destination_region": region("654025"),
        "start_date": dt.date(2026, 6, 1), "end_date": dt.date(2026, 6, 6), "agency": "扬州旅游集团",
        "size": 40, "minors": 10, "minority_members": 3,
    }  # fmt: skip
    data.update(extra)
    return data


@pytest.mark.django_db
def test_a_route_keeps_its_stops_in_order_and_public_routes_are_seen_everywhere(xinyuan, outsider):
    route = tourism_services.route_create(
        actor=xinyuan,
        data={"title": "那拉提草原研学路线", "region": region("654025"), "days": 3, "is_public": True},
        stops=[
            {"name": "民族团结教育基地", "region": region("654025")},
            {"name": "那拉提草原", "region": region("654025"), "photo": SimpleUploadedFile("p.png", PNG)},
        ],
    )
    assert [s.name for s in route.stops.all()] == ["民族团结教育基地", "那拉提草原"]
    assert [s.order for s in route.stops.all()] == [1, 2]
    assert tourism_selectors.routes_visible(outsider).filter(pk=route.pk).exists()
    StudyRoute.objects.filter(pk=route.pk).update(is_public=False)
    assert not tourism_selectors.routes_visible(outsider).filter(pk=route.pk).exists()


@pytest.mark.django_db
def test_a_route_refuses_a_photo_that_is_not_an_image_and_writes_nothing(xinyuan):
    with pytest.raises(ValidationError, match="第 1 站"):
        tourism_services.route_create(
            actor=xinyuan,
            data={"title": "x", "region": region("654025")},
            stops=[{"name": "a", "region": region("654025"), "photo": SimpleUploadedFile("a.png", PDF)}],
        )
    assert not StudyRoute.objects.exists()


@pytest.mark.django_db
def test_routes_only_in_ones_own_jurisdiction(xinyuan):
    with pytest.raises(PermissionDenied):
        tourism_services.route_create(
            actor=xinyuan,
            data={"title": "x", "region": region("3210")},
            stops=[{"name": "a", "region": region("3210")}],
        )


@pytest.mark.django_db
def test_tour_groups_link_their_pairing_and_add_up_to_flows(yangzhou, xinyuan, outsider, paired):
    first = tourism_services.tour_group_record(actor=yangzhou, data=tour())
    assert first.pairing == paired
    tourism_services.tour_group_record(
        actor=xinyuan, data=tour(name="第二批", size=25, minors=0, minority_members=0)
    )
    flows = tourism_selectors.visitor_flows(user=yangzhou, level=4)
    assert flows == [
        {"origin": "3210", "origin_name": "扬州市", "destination": "6540", "destination_name": "伊犁哈萨克自治州",
         "groups": 2, "visitors": 65, "minors": 10},
    ]  # fmt: skip
    by_county = tourism_selectors.visitor_flows(user=xinyuan, level=6, date_from=dt.date(2026, 1, 1))
    assert [(f["destination"], f["visitors"]) for f in by_county] == [("654025", 65)]
    assert tourism_selectors.visitor_flows(user=outsider) == []
    assert tourism_selectors.visitor_flows(user=yangzhou, date_to=dt.date(2026, 5, 1)) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"end_date": dt.date(2026, 5, 1)}, "end_date"),
        ({"minors": 41}, "minors"),
        ({"destination_region": "3210"}, "destination_region"),
    ],
)
def test_bad_tour_groups_are_refused(yangzhou, change, field):
    if "destination_region" in change:
        change = {"destination_region": region(change["destination_region"])}
    with pytest.raises(ValidationError) as caught:
        tourism_services.tour_group_record(actor=yangzhou, data=tour(**change))
    assert field in caught.value.message_dict
    assert not TourGroup.objects.exists()


@pytest.mark.django_db
def test_tour_group_and_flow_pages(client, login, yangzhou, paired):
    login(yangzhou)
    response = client.post(
        "/exchanges/tours/new/",
        {
            "name": "扬州研学团", "origin_region": "3210", "destination_region": "654025", "start_date": "2026-07-01",
            "end_date": "2026-07-05", "size": "30", "minors": "28", "minority_members": "2",
        },
    )  # fmt: skip
    assert response.status_code == 302
    assert "扬州研学团" in client.get("/exchanges/tours/").content.decode()
    page = client.get("/exchanges/tours/flows/", {"level": "4"}).content.decode()
    assert "伊犁哈萨克自治州" in page and 'id="flow-chart-data"' in page
    bad = client.post(
        "/exchanges/tours/new/",
        {
            "name": "x", "origin_region": "3210", "destination_region": "654025", "start_date": "2026-07-05",
            "end_date": "2026-07-01", "size": "30", "minors": "31", "minority_members": "0",
        },
    )  # fmt: skip
    text = bad.content.decode()
    assert bad.status_code == 400 and "结束日期早于开始日期" in text and "不能超过团队总人数" in text
    from openpyxl import load_workbook

    sheet = load_workbook(
        io.BytesIO(client.get("/exchanges/tours/flows.xlsx", {"level": "6"}).content)
    ).active
    assert list(sheet.iter_rows(values_only=True)) == [
        ("客源地", "目的地", "团数", "游客人次", "18 岁以下"),
        ("扬州市", "新源县", 1, 30, 28),
    ]


@pytest.mark.django_db
def test_route_page_with_a_photo_served_only_in_scope(client, login, xinyuan, outsider):
    login(xinyuan)
    response = client.post(
        "/exchanges/routes/new/",
        {
            "title": "新源研学", "region": "654025", "days": "2", "is_public": "",
            "stops-TOTAL_FORMS": "2", "stops-INITIAL_FORMS": "0", "stops-MIN_NUM_FORMS": "1",
            "stops-MAX_NUM_FORMS": "1000", "stops-0-name": "那拉提", "stops-0-region": "654025104",
            "stops-0-photo": SimpleUploadedFile("n.png", PNG), "stops-1-name": "", "stops-1-region": "",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    route = StudyRoute.objects.get()
    stop = route.stops.get()
    page = client.get(response["Location"]).content.decode()
    assert "那拉提" in page and f"/exchanges/routes/{route.pk}/stops/{stop.pk}/photo/" in page
    photo = client.get(f"/exchanges/routes/{route.pk}/stops/{stop.pk}/photo/")
    assert photo.status_code == 200 and b"".join(photo.streaming_content).startswith(b"\x89PNG")
    login(outsider)
    assert client.get(f"/exchanges/routes/{route.pk}/stops/{stop.pk}/photo/").status_code == 404


@pytest.fixture
def activity(yangzhou, xinyuan, paired):
    return ledger_services.activity_record(
        actor=xinyuan,
        data={
            "title": "新源学生赴扬州研学", "activity_type": ActivityType.objects.get(name="研学"), "plan_youth": True,
            "start_date": dt.date(2026, 7, 1), "end_date": dt.date(2026, 7, 5), "sending_region": region("654025"),
            "receiving_region": region("3210"),
        },
        participations=[],
    )  # fmt: skip


@pytest.mark.django_db
def test_evidence_photos_documents_and_links(client, login, xinyuan, yangzhou, outsider, activity):
    login(xinyuan)
    client.post(
        f"/exchanges/{activity.pk}/evidence/", {"kind": "photo", "file": SimpleUploadedFile("a.png", PNG)}
    )
    client.post(
        f"/exchanges/{activity.pk}/evidence/", {"kind": "document", "file": SimpleUploadedFile("r.pdf", PDF)}
    )
    client.post(f"/exchanges/{activity.pk}/evidence/", {"kind": "link", "url": "https://news.example.cn/1"})
    assert sorted(Evidence.objects.values_list("kind", flat=True)) == ["document", "link", "photo"]
    photo = Evidence.objects.get(kind="photo")
    login(yangzhou)  # the other side sees it
    served = client.get(f"/exchanges/{activity.pk}/evidence/{photo.pk}/")
    assert served.status_code == 200 and "no-store" in served["Cache-Control"]  # photos may show children
    login(outsider)
    assert client.get(f"/exchanges/{activity.pk}/evidence/{photo.pk}/").status_code == 404
    assert client.post(f"/exchanges/{activity.pk}/evidence/{photo.pk}/delete/").status_code == 404


@pytest.mark.django_db
def test_removing_evidence_asks_first_and_only_the_sides_may(client, login, xinyuan, yangzhou, activity):
    login(xinyuan)
    client.post(
        f"/exchanges/{activity.pk}/evidence/",
        {"kind": "photo", "file": SimpleUploadedFile("a.png", PNG), "caption": "合影"},
    )
    photo = Evidence.objects.get()
    url = f"/exchanges/{activity.pk}/evidence/{photo.pk}/delete/"
    asked = client.post(url)
    assert asked.status_code == 200 and "“合影”" in asked.content.decode() and Evidence.objects.exists()
    done = client.post(url, {"confirmed": "1"})
    assert done.status_code == 302 and not Evidence.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "name", "content", "message"),
    [
        ("photo", "x.png", PDF, "不是图片"),
        ("document", "x.exe", b"MZ\x90\x00", "都不是"),
        ("document", "x.csv", b"PK\x03\x04rest", "都不是"),  # a zip that is not named .xlsx
    ],
)
def test_evidence_of_the_wrong_type_is_refused(
    client, login, xinyuan, activity, kind, name, content, message
):
    login(xinyuan)
    response = client.post(
        f"/exchanges/{activity.pk}/evidence/",
        {"kind": kind, "file": SimpleUploadedFile(name, content)},
        follow=True,
    )
    assert message in response.content.decode()
    assert not Evidence.objects.exists()


@pytest.mark.django_db
def test_evidence_above_the_size_limit_is_refused(xinyuan, activity, monkeypatch):
    from shiliu.lib import uploads

    big = SimpleUploadedFile("big.png", PNG)
    big.size = uploads.MAX_DOCUMENT_BYTES + 1
    with pytest.raises(ValidationError, match="上限为 20 MB"):
        ledger_services.evidence_add(actor=xinyuan, activity=activity, kind="photo", file=big)


def test_uploaded_files_have_no_public_path_even_in_debug(settings):
    """No /media/ route, whatever DEBUG says: files go through views that check the viewer's jurisdiction."""
    import importlib

    from django.urls import clear_url_caches

    import shiliu.urls

    settings.DEBUG = True
    try:
        patterns = importlib.reload(shiliu.urls).urlpatterns
        assert not [p for p in patterns if "media" in str(p.pattern)]
    finally:
        settings.DEBUG = False
        importlib.reload(shiliu.urls)
        clear_url_caches()


@pytest.mark.django_db
def test_the_statistics_page_adds_pen_pals_and_tour_groups_of_the_region(
    client, login, yangzhou, xinyuan, paired, yz_school, xy_school
):

    programme = youth_services.programme_create(
        actor=yangzhou, title="书信", school_a=yz_school, class_a="1", school_b=xy_school, class_b="2"
    )
    youth_services.student_add(
        actor=yangzhou,
        programme=programme,
        side="a",
        code="A1",
        grade=5,
        age=11,
        consent_on=dt.date(2026, 9, 1),
    )
    youth_services.student_add(
        actor=xinyuan,
        programme=programme,
        side="b",
        code="B1",
        grade=5,
        age=11,
        consent_on=dt.date(2026, 9, 1),
    )
    (match,) = youth_matching.match_run(actor=yangzhou, programme=programme).created
    youth_services.letter_log(
        actor=xinyuan, match=match, direction="ba", sent_on=dt.date(2026, 10, 1), count=3
    )
    tourism_services.tour_group_record(actor=yangzhou, data=tour())
    login(xinyuan)
    page = client.get("/exchanges/statistics/", {"region": "654025"}).content.decode()
    assert "1 个项目 · 1 对笔友 · 期内书信 3 封" in page
    assert "出游：0 个团 0 人次 · 来访：1 个团 40 人次" in page
    later = client.get(
        "/exchanges/statistics/", {"region": "654025", "date_from": "2026-10-02"}
    ).content.decode()
    assert "期内书信 0 封" in later and "来访：0 个团" in later


@pytest.mark.django_db
def test_tour_groups_are_corrected_or_removed_by_either_end_and_a_coordinator_only_their_own(
    client, login, yangzhou, xinyuan, xinyuan_coordinator, outsider, paired
):
    group = tourism_services.tour_group_record(actor=yangzhou, data=tour())
    login(xinyuan)  # the destination's commission corrects the size
    form = {
        "name": group.name, "origin_region": "3210", "destination_region": "654025", "start_date": "2026-06-01",
        "end_date": "2026-06-06", "size": "42", "minors": "10", "minority_members": "3",
    }  # fmt: skip
    assert client.post(f"/exchanges/tours/{group.pk}/edit/", form).status_code == 302
    group.refresh_from_db()
    assert group.size == 42
    login(xinyuan_coordinator)
    assert client.get(f"/exchanges/tours/{group.pk}/edit/").status_code == 403
    client.post(f"/exchanges/tours/{group.pk}/delete/")
    assert TourGroup.objects.filter(pk=group.pk).exists()
    login(outsider)
    assert client.post(f"/exchanges/tours/{group.pk}/delete/").status_code == 404
    login(yangzhou)
    asked = client.post(f"/exchanges/tours/{group.pk}/delete/").content.decode()
    assert 'data-testid="confirm-page"' in asked and TourGroup.objects.filter(pk=group.pk).exists()
    client.post(f"/exchanges/tours/{group.pk}/delete/", {"confirmed": "1"})
    assert not TourGroup.objects.filter(pk=group.pk).exists()


@pytest.mark.django_db
def test_a_reader_outside_both_ends_sees_a_groups_size_but_not_its_minors_or_minorities(
    client, login, yangzhou, xinyuan, xinyuan_coordinator, paired
):
    group = tourism_services.tour_group_record(actor=yangzhou, data=tour(minors=3, minority_members=2))
    login(xinyuan_coordinator)  # a school's coordinator in 新源: sees the group arrive, not who is in it
    page = client.get("/exchanges/tours/").content.decode()
    assert group.name in page and "<td>3</td>" not in page
    api = client.get(f"/api/tour-groups/{group.pk}").json()
    assert (api["size"], api["minors"], api["minority_members"]) == (40, None, None)
    assert client.get("/api/tour-groups").json()["items"][0]["minors"] is None
    flows = client.get("/api/tour-groups/flows", {"level": 6}).json()
    assert [(f["visitors"], f["minors"]) for f in flows] == [(40, None)]
    assert "<td>3</td>" not in client.get("/exchanges/flows/", {"level": 6}).content.decode()
    login(xinyuan)  # the destination's commission sees the figures
    assert client.get(f"/api/tour-groups/{group.pk}").json()["minors"] == 3
    assert [f["minors"] for f in client.get("/api/tour-groups/flows").json()] == [3]
    assert "<td>3</td>" in client.get("/exchanges/tours/").content.decode()
