import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shiliu.lib import clock
from shiliu.regions.models import Region
from shiliu.residents.livelihood import matching, selectors, services
from shiliu.residents.livelihood.models import Application, Job, Placement, SeekerNeed

pytestmark = pytest.mark.django_db


def test_it_refuses_an_upside_down_wage_range_and_saves_nothing(employer, job_data):
    with pytest.raises(ValidationError) as exc:
        services.job_create(actor=employer, data=job_data(wage_min=8000, wage_max=6000))
    assert (
        "最高工资低于最低工资" in str(exc.value.message_dict["wage_max"])
        or exc.value.message_dict["wage_max"]
    )
    assert not Job.objects.exists()


def test_the_job_form_shows_the_wage_error_next_to_the_field(login, employer, enterprise):
    client = login(employer)
    response = client.post(
        "/livelihood/jobs/new/",
        {
            "employer": enterprise.pk,
            "title": "普工",
            "occupation": "6",
            "place": "扬州",
            "wage_min": 9000,
            "wage_max": 5000,
            "hours": "8小时",
            "openings": 1,
            "closes_on": "2099-01-01",
        },
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 400
    assert "最高工资低于最低工资" in response.content.decode()
    assert not Job.objects.exists()


def test_only_the_employer_side_posts_jobs(job_data, xinyuan, outsider):
    for actor in (xinyuan, outsider):
        with pytest.raises(PermissionDenied):
            services.job_create(actor=actor, data=job_data())


def test_a_resident_applies_once_and_not_to_a_closed_post(job, resident, employer):
    application = services.application_submit(actor=resident, job=job, note="我会电焊")
    assert application.origin_region_id == "654025100"
    with pytest.raises(ValidationError, match="already applied|已经申请"):
        services.application_submit(actor=resident, job=job)
    services.job_close(actor=employer, job=job)
    other = type(resident).objects.create(username="r2", role="resident", region_id="654025")
    with pytest.raises(ValidationError):
        services.application_submit(actor=other, job=job)
    assert Application.objects.count() == 1


def test_applying_to_a_closed_post_on_the_page_says_so(login, job, employer, resident):
    services.job_close(actor=employer, job=job)
    response = login(resident).post(
        f"/livelihood/jobs/{job.pk}/apply/", {"note": ""}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 400
    assert "该岗位已停止报名" in response.content.decode()
    assert not Application.objects.exists()


def test_placement_and_retention_at_3_and_6_months(job, resident, employer, monkeypatch):
    application = services.application_submit(actor=resident, job=job)
    services.application_answer(actor=employer, application=application, accept=True, answer="请周一报到")
    start = clock.today()
    placement = services.placement_record(
        actor=employer, application=application, started_on=start, wage=6000
    )
    with pytest.raises(ValidationError):  # not yet due
        services.placement_retention(actor=employer, placement=placement, months=3, retained=True)
    monkeypatch.setattr(clock, "today", lambda: start + dt.timedelta(days=200))
    services.placement_retention(actor=employer, placement=placement, months=3, retained=True)
    services.placement_retention(actor=employer, placement=placement, months=6, retained=False)
    placement.refresh_from_db()
    assert placement.retained_3m is True and placement.retained_6m is False
    stats = selectors.job_statistics(user=employer)
    assert stats["totals"]["placed"] == 1 and stats["rate_3m"] == 100 and stats["rate_6m"] == 0
    assert stats["origins"][0]["region"].code == "654025" and stats["origins"][0]["openings"] == 10


def test_a_placement_cannot_start_in_the_future(job, resident, employer):
    application = services.application_submit(actor=resident, job=job)
    services.application_answer(actor=employer, application=application, accept=True)
    with pytest.raises(ValidationError):
        services.placement_record(
            actor=employer, application=application, started_on=clock.today() + dt.timedelta(days=3)
        )
    assert not Placement.objects.exists()


def test_origin_staff_read_the_posts_offered_to_their_people_and_others_get_404(
    login, job, xinyuan, outsider
):
    assert list(selectors.job_list(user=xinyuan)) == [job]
    assert login(xinyuan).get(f"/livelihood/jobs/{job.pk}/").status_code == 200
    assert login(outsider).get(f"/livelihood/jobs/{job.pk}/").status_code == 404
    assert not selectors.job_list(user=outsider).exists()
    assert not selectors.application_list(user=outsider).exists()


def test_lists_match_by_occupation_place_wage_and_language(job, xinyuan, employer, job_data):
    low = services.job_create(
        actor=employer, data=job_data(title="保洁员", occupation="4", wage_min=2500, wage_max=3000)
    )
    need = services.seeker_need_create(
        actor=xinyuan,
        data={
            "origin_region": Region.objects.get(code="654025"),
            "occupation": "6",
            "wanted": "装配工",
            "place_region": Region.objects.get(code="3210"),
            "wage_min": 5500,
            "languages": "国家通用语言",
            "seekers": 20,
        },
    )
    picky = SeekerNeed(
        origin_region_id="654025",
        occupation="4",
        wanted="家政",
        place_region_id="3210",
        wage_min=4000,
        seekers=5,
    )
    result = matching.match([need, picky], [job, low])
    assert result.rows[0].jobs == [job] and result.rows[0].openings == 10
    assert result.rows[1].jobs == [] and result.rows[1].near == [(low, ["wage"])]
    assert result.unwanted_jobs == [low]


def test_the_lists_export_to_excel(login, job, xinyuan):
    response = login(xinyuan).get("/livelihood/lists/export.xlsx")
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )


def test_the_applicant_is_told_the_answer(job, resident, employer):
    from shiliu.notifications.models import Notification

    application = services.application_submit(actor=resident, job=job)
    services.application_answer(actor=employer, application=application, accept=False, answer="已招满")
    assert (
        "未录用" in Notification.objects.get(recipient=resident).text
        or Notification.objects.filter(recipient=resident).count() == 1
    )


def test_origin_staff_count_their_own_people_only(job, resident, xinyuan):
    from conftest import make_user

    services.application_submit(actor=resident, job=job)
    services.application_submit(actor=make_user("gansu", "resident", "621126"), job=job)
    rows = selectors.job_statistics(user=xinyuan)["applications_by_origin"]
    assert [r["origin_region"] for r in rows] == ["654025100"]


def test_a_fair_in_1900_and_a_past_closing_date_are_refused(login, yangzhou, employer, enterprise):
    """Found in the walk: a fair dated 1900 was accepted; a past closing date was hidden behind a wage error."""
    with pytest.raises(ValidationError) as exc:
        services.fair_create(
            actor=yangzhou,
            data={"title": "招聘会", "region": Region.objects.get(code="321002"), "held_on": dt.date(1900, 1, 1),
                  "place": "人力资源市场"},
        )  # fmt: skip
    assert "held_on" in exc.value.message_dict
    response = login(employer).post(
        "/livelihood/jobs/new/",
        {"employer": enterprise.pk, "title": "普工", "occupation": "6", "place": "扬州", "wage_min": 9000,
         "wage_max": 5000, "hours": "8小时", "openings": 1, "closes_on": "2020-01-01"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )  # fmt: skip
    body = response.content.decode()
    assert response.status_code == 400 and "最高工资低于最低工资" in body and "截止日期已过" in body
    assert not Job.objects.exists()
