import datetime as dt

import pytest

from shiliu.lib import clock
from shiliu.residents.livelihood.models import Application, VolunteerHours

pytestmark = pytest.mark.django_db


def test_a_resident_lists_posts_applies_once_and_sees_their_application(login, job, resident):
    client = login(resident)
    listing = client.get("/api/livelihood/jobs").json()
    assert listing["count"] == 1 and listing["items"][0]["recruit_from"] == ["654025"]
    response = client.post(
        f"/api/livelihood/jobs/{job.pk}/applications", {"note": "能吃苦"}, content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    again = client.post(f"/api/livelihood/jobs/{job.pk}/applications", {}, content_type="application/json")
    assert again.status_code == 422 and "job" in again.json()["errors"]
    assert client.get("/api/livelihood/applications").json()["count"] == 1
    assert client.get("/api/livelihood/statistics").status_code == 403


def test_the_employer_answers_and_records_a_placement(login, job, resident, employer):
    login(resident).post(f"/api/livelihood/jobs/{job.pk}/applications", {}, content_type="application/json")
    application = Application.objects.get()
    client = login(employer)
    assert (
        client.post(
            f"/api/livelihood/applications/{application.pk}/answer",
            {"accept": True},
            content_type="application/json",
        ).status_code
        == 200
    )
    response = client.post(
        f"/api/livelihood/applications/{application.pk}/placement",
        {"started_on": (clock.today() + dt.timedelta(days=5)).isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 422 and "started_on" in response.json()["errors"]
    response = client.post(
        f"/api/livelihood/applications/{application.pk}/placement",
        {"started_on": clock.today().isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["started_on"] == clock.today().isoformat()
    assert client.get("/api/livelihood/statistics").json()["placements"] == 1


def test_an_upside_down_wage_range_is_refused(login, employer, enterprise):
    body = {
        "employer_id": enterprise.pk,
        "title": "普工",
        "occupation": "6",
        "place": "扬州",
        "wage_min": 8000,
        "wage_max": 4000,
        "hours": "8小时",
        "closes_on": "2099-01-01",
    }
    response = login(employer).post("/api/livelihood/jobs", body, content_type="application/json")
    assert response.status_code == 422 and "wage_max" in response.json()["errors"]


def test_outsiders_get_404_and_see_nothing(login, job, outsider, team):
    client = login(outsider)
    assert client.get(f"/api/livelihood/jobs/{job.pk}").status_code == 404
    assert client.get("/api/livelihood/jobs").json()["count"] == 0
    assert client.get("/api/livelihood/applications").json()["count"] == 0
    assert client.get("/api/livelihood/hours", {"team": team.pk}).json()["count"] == 0
    assert client.get("/api/livelihood/statistics").json()["posts"] == 0


def test_a_volunteer_logs_hours_and_the_leader_decides_through_the_api(login, team, volunteer, leader):
    body = {
        "served_on": (clock.today() + dt.timedelta(days=1)).isoformat(),
        "hours": "3",
        "description": "义诊",
    }
    client = login(volunteer)
    assert (
        client.post(
            f"/api/livelihood/teams/{team.pk}/hours", body, content_type="application/json"
        ).status_code
        == 422
    )
    body["served_on"] = clock.today().isoformat()
    created = client.post(f"/api/livelihood/teams/{team.pk}/hours", body, content_type="application/json")
    assert created.status_code == 201
    pk = created.json()["id"]
    assert (
        client.post(
            f"/api/livelihood/hours/{pk}/decision", {"approve": True}, content_type="application/json"
        ).status_code
        == 404
    )
    response = login(leader).post(
        f"/api/livelihood/hours/{pk}/decision", {"approve": True}, content_type="application/json"
    )
    assert response.status_code == 200 and VolunteerHours.objects.get().status == "approved"


def test_a_learner_enrols_and_signs_in_with_the_session_code(login, klass, session_today, resident):
    client = login(resident)
    assert client.post(f"/api/livelihood/classes/{klass.pk}/enrolments").status_code == 201
    assert client.post(f"/api/livelihood/classes/{klass.pk}/enrolments").status_code == 422
    response = client.post(
        "/api/livelihood/attendance", {"code": session_today.token}, content_type="application/json"
    )
    assert response.status_code == 201 and response.json()["method"] == "qr"


def test_residents_get_403_from_the_staff_operations(login, resident):
    client = login(resident)
    assert client.get("/api/livelihood/statistics").status_code == 403
    assert client.get("/api/livelihood/seeker-needs").status_code == 403
    response = client.post(
        "/api/livelihood/seeker-needs",
        {
            "origin_region": "654025",
            "occupation": "6",
            "wanted": "x",
            "place_region": "3210",
            "wage_min": 1,
            "seekers": 1,
        },
        content_type="application/json",
    )
    assert response.status_code == 403


def test_the_leader_reads_the_teams_hours_and_a_member_only_their_own(login, team, volunteer, leader):
    from shiliu.residents.livelihood import services as livelihood_services

    livelihood_services.hours_log(
        actor=volunteer, team=team, served_on=clock.today(), hours=2, beneficiaries=1, description="义诊"
    )
    livelihood_services.hours_log(
        actor=leader, team=team, served_on=clock.today(), hours=1, beneficiaries=1, description="宣讲"
    )
    assert login(leader).get("/api/livelihood/hours", {"team": team.pk}).json()["count"] == 2
    assert login(volunteer).get("/api/livelihood/hours").json()["count"] == 1
