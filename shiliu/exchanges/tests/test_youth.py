"""Pen-pals (consent, 1:1 / 1:2 matching by the assignment solver, letters as counts, re-match) and online classes."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from conftest import make_unit, make_user
from shiliu.exchanges.models import Activity, LetterLog, PenPalMatch, PenPalProgramme, StudentStatus
from shiliu.exchanges.youth import matching as youth_matching
from shiliu.exchanges.youth import selectors as youth_selectors
from shiliu.exchanges.youth import services as youth_services
from shiliu.lib import clock
from shiliu.notifications.models import Notification


@pytest.fixture
def programme(yangzhou, paired, yz_school, xy_school):
    return youth_services.programme_create(
        actor=yangzhou,
        title="书信手拉手",
        school_a=yz_school,
        class_a="五年级二班",
        school_b=xy_school,
        class_b="初一（3）班",
    )


def add(actor, programme, side, n, *, grade=5, age=11, interests="绘画、足球", consent=True, start=1):
    return [
        youth_services.student_add(
            actor=actor, programme=programme, side=side, code=f"{side.upper()}-{i:02d}", grade=grade, age=age,
            interests=interests, consent_on=dt.date(2026, 9, 1) if consent else None,
        )
        for i in range(start, start + n)
    ]  # fmt: skip


def active_degrees(programme):
    degrees = {}
    for m in PenPalMatch.objects.filter(programme=programme, ended_on__isnull=True):
        degrees[m.student_a.code] = degrees.get(m.student_a.code, 0) + 1
        degrees[m.student_b.code] = degrees.get(m.student_b.code, 0) + 1
    return degrees


@pytest.mark.django_db
def test_equal_classes_match_one_to_one_and_pupils_without_consent_wait(programme, yangzhou, xinyuan):
    add(yangzhou, programme, "a", 6)
    add(yangzhou, programme, "a", 2, consent=False, start=7)
    add(xinyuan, programme, "b", 6)
    result = youth_matching.match_run(actor=yangzhou, programme=programme)
    assert result.ratio == "1:1" and len(result.created) == 6
    assert {s.code for s in result.without_consent} == {"A-07", "A-08"}
    degrees = active_degrees(programme)
    assert set(degrees.values()) == {1} and "A-07" not in degrees and "A-08" not in degrees


@pytest.mark.django_db
def test_a_bigger_class_is_matched_one_to_two_preferring_close_grades_and_shared_interests(
    programme, yangzhou, xinyuan
):
    add(yangzhou, programme, "a", 4, grade=5, age=11, interests="足球")
    add(yangzhou, programme, "a", 4, grade=8, age=14, interests="舞蹈", start=5)
    add(xinyuan, programme, "b", 2, grade=5, age=11, interests="足球")
    add(xinyuan, programme, "b", 2, grade=8, age=14, interests="舞蹈", start=3)
    result = youth_matching.match_run(actor=xinyuan, programme=programme)
    assert result.ratio == "1:2" and len(result.created) == 8 and result.unmatched == []
    for m in result.created:  # every pair sits in the same grade: the solver found the cheap assignment
        assert m.student_a.grade == m.student_b.grade
    degrees = active_degrees(programme)
    assert all(degrees[f"A-{i:02d}"] == 1 for i in range(1, 9))
    assert all(degrees[f"B-{i:02d}"] == 2 for i in range(1, 5))


@pytest.mark.django_db
def test_more_than_twice_as_many_pupils_leaves_the_rest_unmatched_not_doubled(programme, yangzhou, xinyuan):
    add(yangzhou, programme, "a", 7)
    add(xinyuan, programme, "b", 3)
    result = youth_matching.match_run(actor=yangzhou, programme=programme)
    assert len(result.created) == 6 and len(result.unmatched) == 1
    assert max(active_degrees(programme).values()) == 2


@pytest.mark.django_db
def test_a_pupil_who_leaves_frees_the_partners_for_a_rematch(programme, yangzhou, xinyuan, client, login):
    add(yangzhou, programme, "a", 4)
    b1, b2, b3 = add(xinyuan, programme, "b", 3)
    youth_matching.match_run(actor=yangzhou, programme=programme)
    partners = youth_services.student_leave(actor=xinyuan, student=b1, reason="毕业")
    assert partners and all(p.side == "a" for p in partners)
    b1.refresh_from_db()
    assert b1.status == StudentStatus.LEFT
    login(yangzhou)
    page = client.get(f"/exchanges/penpals/{programme.pk}/").content.decode()
    assert 'data-testid="rematch-offer"' in page and partners[0].code in page
    waiting = client.get("/exchanges/penpals/", {"waiting": "1"}).content.decode()  # the workbench's link
    assert 'data-testid="waiting-filter"' in waiting and f"{len(partners)} 名学生等待重新结对" in waiting
    assert f'data-testid="waiting-pupils">{len(partners)}<' in waiting
    result = youth_matching.match_run(actor=yangzhou, programme=programme)
    assert {m.student_a for m in result.created} == set(partners)
    assert {m.student_b for m in result.created} <= {b2, b3}
    assert all(d <= 2 for d in active_degrees(programme).values())
    assert Notification.objects.filter(recipient=yangzhou, key__startswith="penpal-rematch-").count() == len(
        partners
    )


@pytest.mark.django_db
def test_letters_are_counts_and_dates_only_and_only_the_sender_side_logs_them(programme, yangzhou, xinyuan):
    add(yangzhou, programme, "a", 1)
    add(xinyuan, programme, "b", 1)
    (match,) = youth_matching.match_run(actor=yangzhou, programme=programme).created
    youth_services.letter_log(actor=yangzhou, match=match, direction="ab", sent_on=clock.today(), count=2)
    with pytest.raises(PermissionDenied):
        youth_services.letter_log(actor=yangzhou, match=match, direction="ba", sent_on=clock.today())
    with pytest.raises(ValidationError):
        youth_services.letter_log(
            actor=xinyuan, match=match, direction="ba", sent_on=clock.today() + dt.timedelta(days=3)
        )
    assert [f.name for f in LetterLog._meta.get_fields()] == [
        "id",
        "match",
        "direction",
        "sent_on",
        "count",
        "logged_by",
    ]
    assert youth_selectors.programme_summary(programme)["letters"] == 2


@pytest.mark.django_db
def test_student_codes_refuse_names_and_each_school_manages_only_its_own_class(programme, yangzhou, xinyuan):
    with pytest.raises(ValidationError, match="姓名"):
        youth_services.student_add(
            actor=yangzhou, programme=programme, side="a", code="王小明", grade=5, age=11
        )
    with pytest.raises(PermissionDenied):
        youth_services.student_add(
            actor=yangzhou, programme=programme, side="b", code="B-01", grade=5, age=11
        )
    (student,) = add(xinyuan, programme, "b", 1, consent=False)
    with pytest.raises(PermissionDenied):
        youth_services.student_record_consent(actor=yangzhou, student=student, on=clock.today())
    youth_services.student_record_consent(actor=xinyuan, student=student, on=clock.today())
    student.refresh_from_db()
    assert student.has_consent and student.consent_recorded_by == xinyuan


@pytest.mark.django_db
def test_schools_need_an_active_pairing_and_outsiders_do_not_see_the_roster(
    yangzhou, outsider, yz_school, cd_school, programme, client, login
):
    with pytest.raises(ValidationError, match="结对"):
        youth_services.programme_create(
            actor=yangzhou, title="x", school_a=yz_school, class_a="1", school_b=cd_school, class_b="2"
        )
    login(outsider)
    assert client.get(f"/exchanges/penpals/{programme.pk}/").status_code == 404
    assert f"/exchanges/penpals/{programme.pk}/" not in client.get("/exchanges/penpals/").content.decode()


@pytest.mark.django_db
def test_a_coordinator_of_another_school_in_the_county_does_not_see_the_programme(programme, client, login):
    other = make_user("other-school", "unit_coordinator", "654025", make_unit("654025", "新源县第二中学"))
    assert not youth_selectors.programmes_visible(other).exists()
    login(other)
    assert client.get(f"/exchanges/penpals/{programme.pk}/").status_code == 404


@pytest.mark.django_db
def test_viewing_the_roster_is_logged(programme, yangzhou, client, login):
    from auditlog.models import LogEntry

    login(yangzhou)
    client.get(f"/exchanges/penpals/{programme.pk}/")
    assert LogEntry.objects.filter(
        action=LogEntry.Action.ACCESS, object_pk=str(programme.pk), actor=yangzhou
    ).exists()


@pytest.mark.django_db
def test_the_demo_pen_pals_match_around_the_consent_gaps(settings):
    from django.core.management import call_command

    from shiliu.accounts.models import User

    settings.DEBUG = True
    call_command("load_demo", verbosity=0)
    programme = PenPalProgramme.objects.get(is_demo=True)
    missing = set(programme.students.filter(consent_on__isnull=True, status="active"))
    assert missing, "the demo has consent gaps"
    matched = set()
    for m in PenPalMatch.objects.filter(programme=programme, ended_on__isnull=True):
        matched |= {m.student_a, m.student_b}
    assert matched and not (matched & missing)
    coordinator = User.objects.get(username="xinyuan-school")
    late = missing.pop()
    youth_services.student_record_consent(
        actor=User.objects.get(username="admin"), student=late, on=clock.today()
    )
    result = youth_matching.match_run(actor=coordinator, programme=programme)
    assert late in {s for m in result.created for s in (m.student_a, m.student_b)} | set(result.unmatched)
    assert all(d <= 2 for d in active_degrees(programme).values())


@pytest.mark.django_db
def test_an_online_class_is_an_activity_shown_in_both_schools_time(
    yangzhou, xinyuan, paired, yz_school, xy_school
):
    starts = dt.datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    online = youth_services.online_class_schedule(
        actor=yangzhou, host=yz_school, partner=xy_school, kind="网上共上一堂课", title="同上一堂民族团结课",
        starts_at=starts, duration_minutes=45, meeting_url="https://meeting.example.cn/123",
        classes_host="五年级二班", classes_partner="初一（3）班",
    )  # fmt: skip
    activity = online.activity
    assert (
        activity.status == "draft" and activity.plan_youth and activity.activity_type.name == "网上共上一堂课"
    )
    times = youth_selectors.both_times(online)
    assert [(label, local) for _school, label, local in times] == [
        ("北京时间", "2026-12-01 10:00"),
        ("新疆时间", "2026-12-01 08:00"),
    ]
    with pytest.raises(ValidationError, match="尚未举行"):
        youth_services.online_class_report(
            actor=yangzhou, online=online, attendance_sending=40, attendance_receiving=38
        )
    clock.travel((starts.date() - clock.today()).days + 1)
    try:
        youth_services.online_class_report(
            actor=yangzhou, online=online, attendance_sending=40, attendance_receiving=38,
            replay_url="https://meeting.example.cn/replay/123",
        )  # fmt: skip
    finally:
        clock.reset()
    activity.refresh_from_db()
    assert activity.status == "submitted"
    assert Activity.objects.filter(online_class__isnull=False).count() == 1


@pytest.mark.django_db
def test_online_class_pages(client, login, yangzhou, paired, yz_school, xy_school):
    login(yangzhou)
    response = client.post(
        "/exchanges/online/new/",
        {
            "kind": "网上共上一次班会", "title": "共上一次班会", "host": yz_school.pk, "partner_region": "654025",
            "partner": xy_school.pk, "starts_at": "2026-12-02T15:30", "duration_minutes": "40",
            "meeting_url": "https://meeting.example.cn/9", "classes_host": "五（2）班", "classes_partner": "初一（3）班",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    page = client.get(response["Location"]).content.decode()
    assert "北京时间 2026-12-02 15:30" in page and "新疆时间 2026-12-02 13:30" in page
    assert "共上一次班会" in client.get("/exchanges/online/").content.decode()


def test_pair_cost_prefers_close_grades_then_shared_interests():
    from shiliu.exchanges.models import PenPalStudent

    def s(grade, age, interests):
        return PenPalStudent(grade=grade, age=age, interests=interests)

    base = s(5, 11, "足球、绘画")
    costs = [
        youth_matching.pair_cost(base, other)
        for other in (s(5, 11, "足球、绘画"), s(5, 11, "舞蹈"), s(6, 12, "足球、绘画"))
    ]
    assert costs[0] < costs[1] and costs[0] < costs[2]
    assert youth_matching.pair_cost(base, s(5, 15, "足球")) == float("inf")
    assert min(costs) == 0.0


@pytest.mark.django_db
def test_bad_inline_forms_on_the_programme_page_name_the_field(programme, yangzhou, client, login):
    login(yangzhou)
    url = f"/exchanges/penpals/{programme.pk}/action/"
    page = client.post(
        url, {"action": "student", "side": "a", "code": "A-01", "grade": "13", "age": "11"}, follow=True
    ).content.decode()
    assert "年级：" in page and not programme.students.exists()
    client.post(url, {"action": "student", "side": "a", "code": "A-01", "grade": "5", "age": "11"})
    assert programme.students.count() == 1


@pytest.mark.django_db
def test_a_whole_class_is_added_at_once_or_not_at_all(programme, yangzhou, client, login):
    login(yangzhou)
    url = f"/exchanges/penpals/{programme.pk}/action/"
    bad = client.post(
        url,
        {"action": "students", "bulk-side": "a", "bulk-text": "A-01 7 12 绘画\n张三 7 12\nA-03 7\nA-01 7 13"},
        follow=True,
    ).content.decode()
    assert "第 2 行" in bad and "姓名" in bad and "第 3 行" in bad and "第 4 行" in bad
    assert not programme.students.exists()
    client.post(
        url,
        {"action": "students", "bulk-side": "a", "bulk-text": "A-01 7 12 绘画 足球\nA-02,7,13", "bulk-consent_on": "2026-09-01"},
    )  # fmt: skip
    students = list(programme.students.order_by("code"))
    assert [(s.code, s.age, s.interests, s.has_consent) for s in students] == [
        ("A-01", 12, "绘画、足球", True),
        ("A-02", 13, "", True),
    ]


@pytest.mark.django_db
def test_class_wide_actions_log_a_letter_on_every_pair_and_graduate_a_class(
    programme, yangzhou, xinyuan, client, login
):
    add(yangzhou, programme, "a", 4)
    add(xinyuan, programme, "b", 2)
    youth_matching.match_run(actor=yangzhou, programme=programme)
    login(xinyuan)
    url = f"/exchanges/penpals/{programme.pk}/action/"
    page = client.post(
        url, {"action": "letters_all", "direction": "ba", "sent_on": "2026-11-20", "count": "1"}, follow=True
    ).content.decode()
    assert "已为 4 对笔友各登记 1 封" in page
    assert youth_selectors.programme_summary(programme)["letters_by_direction"] == {"ba": 4}
    refused = client.post(
        url, {"action": "letters_all", "direction": "ab", "sent_on": "2026-11-20", "count": "1"}
    )
    assert refused.status_code == 302 and youth_selectors.programme_summary(programme)["letters"] == 4
    client.post(url, {"action": "class_leaves", "side": "b", "confirmed": "1"})
    assert not programme.students.filter(side="b", status="active").exists()
    assert not PenPalMatch.objects.filter(programme=programme, ended_on__isnull=True).exists()
    client.post(url, {"action": "class_leaves", "side": "a", "confirmed": "1"})  # not xinyuan's class
    assert programme.students.filter(side="a", status="active").count() == 4


@pytest.mark.django_db
def test_both_schools_are_reminded_the_day_before_and_the_host_is_asked_to_report(
    yangzhou, xinyuan_coordinator, paired, yz_school, xy_school
):
    from shiliu.exchanges.youth.tasks import remind_online_classes

    starts = clock.now() + dt.timedelta(hours=20)
    online = youth_services.online_class_schedule(
        actor=yangzhou, host=yz_school, partner=xy_school, kind="网上共上一堂课", title="同上一堂课",
        starts_at=starts, duration_minutes=45, meeting_url="https://meeting.example.cn/1", classes_host="五（2）班",
        classes_partner="初一（3）班",
    )  # fmt: skip
    assert remind_online_classes.enqueue().return_value >= 2
    tomorrow = Notification.objects.filter(recipient=xinyuan_coordinator, key__startswith="online-soon-")
    local = starts.astimezone(ZoneInfo("Asia/Urumqi")).strftime("%m-%d %H:%M")
    assert [n.text for n in tomorrow] == [f"即将开始的网上课堂：同上一堂课，新疆时间 {local}"]
    assert remind_online_classes.enqueue().return_value == 0  # once only
    clock.travel(2)
    try:
        youth_services.online_classes_remind()
        assert Notification.objects.filter(recipient=yangzhou, key=f"online-report-{online.pk}").exists()
    finally:
        clock.reset()


@pytest.mark.django_db
def test_a_guardian_withdrawing_consent_ends_the_pairs_and_erases_the_details(
    programme, yangzhou, xinyuan, client, login
):
    (a1,) = add(yangzhou, programme, "a", 1, interests="足球、书法")
    add(xinyuan, programme, "b", 1)
    youth_matching.match_run(actor=yangzhou, programme=programme)
    login(yangzhou)
    page = client.post(
        f"/exchanges/penpals/{programme.pk}/action/",
        {"action": "withdraw", "student": a1.pk, "confirmed": "1"},
        follow=True,
    ).content.decode()
    assert "已撤回同意" in page
    a1.refresh_from_db()
    assert (a1.status, a1.interests, a1.consent_on, a1.consent_recorded_by) == ("left", "", None, None)
    assert not PenPalMatch.objects.filter(programme=programme, ended_on__isnull=True).exists()
    assert PenPalMatch.objects.get(programme=programme).end_reason == "监护人撤回同意"


def _token(page: str) -> str:
    import re

    return re.findall(r'name="submission" value="([0-9a-f]{32})"', page)


@pytest.mark.django_db
def test_a_letter_form_sent_twice_counts_its_letters_once(programme, yangzhou, xinyuan, client, login):
    add(yangzhou, programme, "a", 2)
    add(xinyuan, programme, "b", 2)
    youth_matching.match_run(actor=yangzhou, programme=programme)
    login(xinyuan)
    url = f"/exchanges/penpals/{programme.pk}/action/"
    tokens = _token(client.get(f"/exchanges/penpals/{programme.pk}/").content.decode())
    assert len(set(tokens)) == len(tokens) >= 3  # every form has its own
    everyone = {"action": "letters_all", "direction": "ba", "sent_on": "2026-11-20", "count": "1"}
    one = {
        "action": "letter",
        "match": PenPalMatch.objects.first().pk,
        "direction": "ba",
        "sent_on": "2026-11-20",
    }
    for data, token in ((everyone, tokens[1]), (one, tokens[2])):
        client.post(url, {**data, "count": data.get("count", "2"), "submission": token})
        again = client.post(url, {**data, "count": data.get("count", "2"), "submission": token}, follow=True)
        assert "这次没有重复执行任何操作" in again.content.decode()
    assert youth_selectors.programme_summary(programme)["letters_by_direction"] == {
        "ba": 4
    }  # 2 pairs × 1, then 2 on one


@pytest.mark.django_db
def test_a_class_sent_twice_is_recognised_not_refused_line_by_line(programme, yangzhou, client, login):
    login(yangzhou)
    url = f"/exchanges/penpals/{programme.pk}/action/"
    token = _token(client.get(f"/exchanges/penpals/{programme.pk}/").content.decode())[0]
    data = {"action": "students", "bulk-side": "a", "bulk-text": "A-01 7 12\nA-02 7 13", "submission": token}
    client.post(url, data)
    page = client.post(url, data, follow=True).content.decode()
    assert "已添加 2 名学生" in page and "这次没有重复执行任何操作" in page
    assert "本班已有使用此编号的学生" not in page
    assert programme.students.count() == 2


@pytest.mark.django_db
def test_consent_withdrawn_after_leaving_still_erases_the_details_and_only_once(programme, yangzhou, xinyuan):
    (a1,) = add(yangzhou, programme, "a", 1, interests="足球、书法")
    youth_services.student_leave(actor=yangzhou, student=a1, reason="转学")
    with pytest.raises(ValidationError):
        youth_services.student_leave(actor=yangzhou, student=a1, reason="转学")
    assert youth_services.student_withdraw_consent(actor=yangzhou, student=a1) == []
    a1.refresh_from_db()
    assert (a1.status, a1.interests, a1.consent_on, a1.consent_recorded_by) == ("left", "", None, None)
    with translation.override("zh-hans"), pytest.raises(ValidationError, match="已经撤回"):
        youth_services.student_withdraw_consent(actor=yangzhou, student=a1)
