import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import make_user
from shiliu.lib import clock
from shiliu.notifications.models import Notification
from shiliu.regions.models import Region
from shiliu.residents.livelihood import reminders, selectors, services
from shiliu.residents.livelihood.models import KinshipAid, KinshipVisit, VolunteerHours

pytestmark = pytest.mark.django_db


def _log(team, who, day=None, hours="3", **extra):
    return services.hours_log(
        actor=who,
        team=team,
        served_on=day or clock.today(),
        hours=Decimal(hours),
        beneficiaries=5,
        description=extra.get("description", "为老人理发"),
    )


def test_a_volunteer_logs_hours_and_the_leader_approves_or_returns(team, volunteer, leader, yangzhou):
    first = _log(team, volunteer)
    second = _log(team, volunteer, hours="2")
    with pytest.raises(PermissionDenied):
        services.hours_decide(actor=volunteer, entry=first, approve=True)
    services.hours_decide(actor=leader, entry=first, approve=True)
    with pytest.raises(ValidationError):
        services.hours_decide(actor=leader, entry=second, approve=False, reason="")
    services.hours_decide(actor=leader, entry=second, approve=False, reason="请补充服务对象")
    stats = selectors.volunteer_statistics(user=yangzhou)
    assert stats["teams"][0]["hours"] == Decimal("3.0") and stats["regions"][0]["code"] == "321002"


def test_hours_in_the_future_or_over_a_day_are_refused(team, volunteer):
    with pytest.raises(ValidationError) as exc:
        _log(team, volunteer, day=clock.today() + dt.timedelta(days=1))
    assert "served_on" in exc.value.message_dict
    with pytest.raises(ValidationError):
        _log(team, volunteer, hours="25")
    _log(team, volunteer, hours="20")
    with pytest.raises(ValidationError, match="24"):
        _log(team, volunteer, hours="5")
    assert VolunteerHours.objects.count() == 1


def test_the_hours_form_shows_the_future_date_error(login, team, volunteer):
    tomorrow = (clock.today() + dt.timedelta(days=1)).isoformat()
    response = login(volunteer).post(
        f"/livelihood/teams/{team.pk}/",
        {"served_on": tomorrow, "hours": "3", "beneficiaries": "1", "description": "义诊"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 400 and "日期晚于今天" in response.content.decode()
    assert not VolunteerHours.objects.exists()


def test_someone_outside_the_team_gets_404(login, team, resident, outsider):
    assert login(resident).get(f"/livelihood/teams/{team.pk}/").status_code == 404
    assert login(outsider).get(f"/livelihood/teams/{team.pk}/").status_code == 404


@pytest.fixture
def pairing(xinyuan):
    cadre = make_user("cadre", "commission_staff", "654025")
    return services.kinship_pair(
        actor=xinyuan,
        data={
            "cadre": cadre,
            "household": "买买提·艾力家",
            "region": Region.objects.get(code="654025100"),
            "members": 5,
            "paired_on": clock.today() - dt.timedelta(days=200),
        },
    )


def test_visits_and_aid_are_recorded_with_their_checks(pairing):
    cadre = pairing.cadre
    with pytest.raises(ValidationError):
        services.visit_log(
            actor=cadre, pairing=pairing, visited_on=clock.today() + dt.timedelta(days=1), activities="x"
        )
    with pytest.raises(ValidationError):
        services.visit_log(
            actor=cadre, pairing=pairing, visited_on=pairing.paired_on - dt.timedelta(days=1), activities="x"
        )
    services.visit_log(
        actor=cadre, pairing=pairing, visited_on=clock.today(), activities="同吃同住", help_given="联系就业"
    )
    with pytest.raises(ValidationError):
        services.aid_record(
            actor=cadre,
            pairing=pairing,
            data={"given_on": clock.today(), "kind": "money", "description": "助学金", "giver": "干部本人"},
        )
    services.aid_record(
        actor=cadre,
        pairing=pairing,
        data={
            "given_on": clock.today(),
            "kind": "money",
            "description": "助学金",
            "amount": Decimal(500),
            "giver": "干部本人",
        },
    )
    assert KinshipVisit.objects.count() == 1 and KinshipAid.objects.count() == 1


def test_a_pair_without_a_visit_for_a_quarter_is_reminded_once(pairing, xinyuan):
    assert selectors.kinship_statistics(user=xinyuan)["overdue"] == 1
    assert reminders.kinship_remind() == 2  # the cadre and whoever paired them
    assert reminders.kinship_remind() == 0
    assert Notification.objects.filter(recipient=pairing.cadre).count() == 1
    services.visit_log(actor=pairing.cadre, pairing=pairing, visited_on=clock.today(), activities="走访")
    stats = selectors.kinship_statistics(user=xinyuan)
    assert stats["overdue"] == 0 and stats["households"] == 1 and stats["quarters"][0]["visits"] == 1


def test_pairs_of_another_jurisdiction_are_404(login, pairing, outsider, yangzhou):
    assert login(outsider).get(f"/livelihood/kinship/{pairing.pk}/").status_code == 404
    assert login(yangzhou).get(f"/livelihood/kinship/{pairing.pk}/").status_code == 404
    assert not selectors.pairing_list(user=yangzhou).exists()


def test_staff_create_a_team_by_logins_and_the_leader_adds_a_member(
    login, yangzhou, leader, volunteer, resident
):
    from shiliu.residents.livelihood.models import VolunteerTeam

    client = login(yangzhou)
    bad = client.post(
        "/livelihood/teams/new/",
        {"name": "个园服务队", "region": "321002", "leader": "nobody", "members": ""},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert bad.status_code == 400 and "没有登录名为 nobody 的账户" in bad.content.decode()
    assert not VolunteerTeam.objects.exists()
    response = client.post(
        "/livelihood/teams/new/",
        {"name": "个园服务队", "region": "321002", "leader": "leader", "members": "volunteer"},
    )
    team = VolunteerTeam.objects.get()
    assert response.status_code == 302 and set(team.members.values_list("username", flat=True)) == {
        "leader",
        "volunteer",
    }
    login(leader).post(f"/livelihood/teams/{team.pk}/members/", {"login": "resident"})
    assert team.members.filter(pk=resident.pk).exists()
    assert (
        login(volunteer).post(f"/livelihood/teams/{team.pk}/members/", {"login": "yangzhou"}).status_code
        == 302
    )
    assert not team.members.filter(pk=yangzhou.pk).exists()  # a member is not the leader


def test_a_future_date_is_reported_together_with_too_many_hours(login, team, volunteer):
    """Found in the walk: with 25 h on a future date only the hours were reported (the form stopped first)."""
    tomorrow = (clock.today() + dt.timedelta(days=1)).isoformat()
    response = login(volunteer).post(
        f"/livelihood/teams/{team.pk}/",
        {"served_on": tomorrow, "hours": "25", "beneficiaries": "1", "description": "义诊"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    body = response.content.decode()
    assert response.status_code == 400 and "日期晚于今天" in body and "一天最多24小时" in body
    assert not VolunteerHours.objects.exists()


def test_absurd_dates_are_refused_like_everywhere_else(team, volunteer, xinyuan):
    """Found in the walk: a service day in 1900 or a visit in 9999 was accepted (no date window on these models)."""
    with pytest.raises(ValidationError) as exc:
        _log(team, volunteer, day=dt.date(1999, 12, 31))
    assert "served_on" in exc.value.message_dict
    assert not VolunteerHours.objects.exists()


def test_the_team_page_pages_the_hours_instead_of_hiding_the_older_ones(login, team, volunteer, leader):
    """Found in the walk: the team page showed the newest 100 entries and silently dropped the rest."""
    from shiliu.residents.livelihood.views_people import HOURS_PAGE

    start = clock.today() - dt.timedelta(days=HOURS_PAGE + 5)
    VolunteerHours.objects.bulk_create(
        VolunteerHours(team=team, volunteer=volunteer, served_on=start + dt.timedelta(days=i), hours=Decimal("1"),
                       description=f"第{i}次")
        for i in range(HOURS_PAGE + 1)
    )  # fmt: skip
    client = login(leader)
    first = client.get(f"/livelihood/teams/{team.pk}/").content.decode()
    assert "第0次" not in first and "?page=2" in first
    assert "第0次" in client.get(f"/livelihood/teams/{team.pk}/?page=2").content.decode()
