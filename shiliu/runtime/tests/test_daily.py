import datetime as dt

import pytest

from shiliu.lib import clock
from shiliu.runtime import worker
from shiliu.runtime.models import DailyRun


@pytest.fixture(autouse=True)
def _clock():
    yield
    clock.reset()


@pytest.mark.django_db
def test_a_daily_job_runs_once_a_day_however_often_the_worker_passes(monkeypatch):
    calls = []
    monkeypatch.setattr(worker, "_daily_jobs", {"count": lambda: calls.append(clock.today())})
    assert worker.daily_jobs_run() == ["count"]
    assert worker.daily_jobs_run() == []
    clock.travel(1)
    assert worker.daily_jobs_run() == ["count"]
    assert calls == [clock.today() - dt.timedelta(days=1), clock.today()]


@pytest.mark.django_db
def test_a_failed_daily_job_is_tried_again_at_the_next_pass(monkeypatch):
    state = {"fail": True}

    def job():
        if state["fail"]:
            raise RuntimeError("boom")

    monkeypatch.setattr(worker, "_daily_jobs", {"flaky": job})
    assert worker.daily_jobs_run() == []
    assert not DailyRun.objects.exists()
    state["fail"] = False
    assert worker.daily_jobs_run() == ["flaky"]


@pytest.mark.django_db
def test_the_worker_sends_the_reminders_each_day_without_cron(
    yangzhou, xinyuan, xy_school, xinyuan_coordinator
):
    # Nothing ran the daily reminder job in the demo: no due-soon or overdue reminder ever arrived.
    from shiliu.notifications.models import Notification
    from shiliu.pairings import services
    from shiliu.regions.models import Region

    p = services.pairing_propose(
        actor=yangzhou, kind="co_building", a_region=Region.objects.get(code="3210"),
        b_region=Region.objects.get(code="654025"),
    )  # fmt: skip
    p = services.pairing_respond(actor=xinyuan, pairing=p, accept=True)
    meeting = services.meeting_schedule(
        actor=yangzhou, pairing=p, title="联席会议", held_at=clock.now(), place="新源县会议中心"
    )
    services.action_item_add(
        actor=yangzhou,
        meeting=meeting,
        title="互派教师",
        owner=xy_school,
        deadline=clock.today() + dt.timedelta(2),
    )
    assert "reminders" in worker._daily_jobs  # registered by the shell
    assert "reminders" in worker.daily_jobs_run()  # the tasks run at once with the test backend
    keys = set(Notification.objects.filter(recipient=xinyuan_coordinator).values_list("key", flat=True))
    assert any(k.startswith("action-soon-") for k in keys)


@pytest.mark.django_db
def test_a_periodic_job_runs_once_per_interval_across_workers_and_can_be_switched_off(monkeypatch):
    calls = []
    interval = {"seconds": 600}
    monkeypatch.setattr(
        worker, "_periodic_jobs", {"clocks": (lambda: interval["seconds"], lambda: calls.append(1))}
    )
    start = dt.datetime(2026, 3, 2, 10, 0, 5, tzinfo=dt.UTC)
    assert worker.periodic_jobs_run(now=start) == ["clocks"]
    # A second worker (or the same one a minute later) in the same ten minutes does not run it again ...
    assert worker.periodic_jobs_run(now=start + dt.timedelta(minutes=1)) == []
    # ... the next interval does, the same day, not the next one.
    assert worker.periodic_jobs_run(now=start + dt.timedelta(minutes=10)) == ["clocks"]
    assert len(calls) == 2
    interval["seconds"] = 0
    assert worker.periodic_jobs_run(now=start + dt.timedelta(minutes=30)) == []
    # Claims older than a day are cleared as the job goes on.
    interval["seconds"] = 600
    assert worker.periodic_jobs_run(now=start + dt.timedelta(days=3)) == ["clocks"]
    assert DailyRun.objects.filter(name__startswith="clocks#").count() == 1
