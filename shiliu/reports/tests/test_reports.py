"""The dashboard, the statistical table, the work summary (Word, PDF, web version with linked numbers), the sentence
templates, approval and schedules — each for the right people only."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied

from shiliu.exchanges.ledger import services as ledger_services
from shiliu.exchanges.statistics import selectors as statistics
from shiliu.exchanges.tests.test_query_counts import activity
from shiliu.regions.models import Region
from shiliu.reports import services, summary
from shiliu.reports.models import ApprovalState, ReportApproval, ReportRun, RunStatus, Schedule


@pytest.fixture
def confirmed(yangzhou, xinyuan, paired):
    made = []
    for n in range(4):
        a = activity(xinyuan, n * 10)
        ledger_services.activity_confirm(actor=yangzhou, activity=a)
        made.append(a)
    return made


@pytest.mark.django_db
def test_the_dashboard_shows_its_panels_with_their_records_and_refresh_time(
    client, login, yangzhou, confirmed
):
    login(yangzhou)
    page = client.get("/reports/", {"year": "2026"}).content.decode()
    for key in ("figures", "trends", "plans", "flows", "divisions", "partners"):
        assert f'data-testid="panel-{key}"' in page
        assert f'data-testid="refreshed-{key}"' in page
    assert 'data-testid="figure-batches">4<' in page
    assert "/exchanges/?region=3210&amp;status=confirmed" in page  # the figure lists its records
    assert "新源县" in page  # the partner
    big = client.get("/reports/", {"year": "2026", "layout": "big"}).content.decode()
    assert 'data-refresh-seconds="300"' in big and "big-screen" in big


@pytest.mark.django_db
def test_another_jurisdiction_gets_404_and_residents_403(
    client, login, yangzhou, outsider, resident, confirmed
):
    login(outsider)
    assert client.get("/reports/", {"region": "3210", "year": "2026"}).status_code == 404
    assert client.get("/reports/table/", {"region": "3210", "year": "2026"}).status_code == 404
    run = ReportRun.objects.create(
        region=Region.objects.get(code="3210"), date_from=dt.date(2026, 1, 1), date_to=dt.date(2026, 12, 31)
    )
    assert client.get(f"/reports/summaries/{run.pk}/").status_code == 404
    assert client.get(f"/reports/summaries/{run.pk}/file.pdf").status_code == 404
    login(resident)
    assert client.get("/reports/").status_code == 403


@pytest.mark.django_db
def test_the_statistical_table_has_merged_headers_rows_and_total(client, login, yangzhou, confirmed):
    from openpyxl import load_workbook

    login(yangzhou)
    page = client.get("/reports/table/", {"year": "2026"})
    assert page.status_code == 200 and 'data-testid="table-row-3210"' in page.content.decode()
    response = client.get("/reports/table/", {"year": "2026", "format": "xlsx"})
    ws = load_workbook(io.BytesIO(response.content)).active
    assert any(str(r) == "C2:D2" for r in ws.merged_cells.ranges)
    rows = list(ws.iter_rows(min_row=4, values_only=True))
    total = rows[-1]  # the total comes last
    assert total[2] == 4 and total[3] == 24


@pytest.mark.django_db
def test_the_table_suppresses_small_cells_for_a_coordinator(
    client, login, xinyuan, yangzhou, paired, xinyuan_coordinator
):
    a = activity(xinyuan, 0)
    ledger_services.activity_update(
        actor=xinyuan,
        activity=a,
        data={},
        participations=[{"category": "cadre", "ethnic_group": a.participations.first().ethnic_group,
                         "age_band": "o35", "gender": "m", "count": 3}],
    )  # fmt: skip
    ledger_services.activity_confirm(actor=yangzhou, activity=a)
    login(xinyuan_coordinator)  # a school's coordinator: not inside this commission activity
    page = client.get("/reports/table/", {"year": "2026"}).content.decode()
    assert "&lt;5" in page


@pytest.mark.django_db
def test_a_work_summary_is_generated_with_numbers_equal_to_the_statistics(
    client, login, yangzhou, confirmed, django_capture_on_commit_callbacks
):
    login(yangzhou)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/reports/summaries/", {"region": "3210", "year": "2026", "period": "year"})
    run = ReportRun.objects.get()
    assert response.status_code == 302 and run.status == RunStatus.DONE and run.progress == 100
    stats = statistics.activity_stats(
        user=yangzhou, region="3210", date_from=dt.date(2026, 1, 1), date_to=dt.date(2026, 12, 31)
    )
    assert run.figures["batches"] == stats.batches == 4
    assert run.figures["person_times"] == stats.person_times.text == "24"
    assert run.pdf.read()[:4] == b"%PDF"
    from docx import Document

    text = "\n".join(p.text for p in Document(run.docx.open("rb")).paragraphs)
    assert "4批次" in text and "24人次" in text
    page = client.get(f"/reports/summaries/{run.pk}/").content.decode()
    assert 'data-figure="batches">4</a>' in page


@pytest.mark.django_db
def test_sentence_templates_refuse_unknown_placeholders_and_code(client, login, yangzhou):
    login(yangzhou)
    for bad in ("共{batches}批次{__class__}", "{{ user.password }}", "{% load x %}"):
        page = client.post("/reports/sentences/", {"key": "opening", "text": bad}).content.decode()
        assert "is-invalid" in page or "invalid-feedback" in page
    assert (
        client.post("/reports/sentences/", {"key": "opening", "text": "累计{batches}批次"}).status_code == 302
    )
    assert summary.templates()["opening"] == "累计{batches}批次"


@pytest.mark.django_db
def test_approval_locks_and_a_new_version_reopens_keeping_the_approved_one(
    yangzhou, xinyuan, paired, django_capture_on_commit_callbacks
):
    from conftest import make_user

    province = make_user("jiangsu", "commission_staff", "32")
    with django_capture_on_commit_callbacks(execute=True):
        run = services.report_request(
            actor=yangzhou,
            region=Region.objects.get(code="3210"),
            date_from=dt.date(2026, 1, 1),
            date_to=dt.date(2026, 3, 31),
        )
    run.refresh_from_db()
    approval = services.report_submit(actor=yangzhou, run=run)
    with pytest.raises(PermissionDenied):
        services.report_approve(actor=yangzhou, approval=approval)
    approval = services.report_approve(actor=province, approval=approval)
    assert approval.state == ApprovalState.APPROVED and approval.approved_run == run
    with django_capture_on_commit_callbacks(execute=True):
        again = services.report_request(
            actor=yangzhou, region=run.region, date_from=run.date_from, date_to=run.date_to
        )
    approval = ReportApproval.objects.get()
    assert (
        approval.state == ApprovalState.REOPENED
        and approval.approved_run == run
        and approval.current_run_id == again.pk
    )
    assert [e.action for e in approval.events.all()] == ["submitted", "approved", "reopened"]
    # the page names each step in the reader's language, not by its stored identifier
    assert [e.action_label for e in approval.events.all()] == ["已报送", "已批准", "修改后重新打开"]


@pytest.mark.django_db
def test_a_quarterly_schedule_delivers_to_the_inbox(yangzhou, django_capture_on_commit_callbacks):
    from shiliu.notifications.models import Notification

    schedule = services.schedule_create(
        actor=yangzhou,
        region=Region.objects.get(code="3210"),
        every=Schedule.Every.QUARTER,
        recipients=[yangzhou],
    )
    assert services.schedules_run(today=dt.date(2026, 5, 1)) == []
    with django_capture_on_commit_callbacks(execute=True):
        started = services.schedules_run(today=dt.date(2026, 4, 1))
    run = ReportRun.objects.get(pk=started[0])
    assert (run.date_from, run.date_to) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert Notification.objects.filter(recipient=yangzhou, key=f"report-run-{run.pk}").exists()
    assert services.schedules_run(today=dt.date(2026, 4, 1)) == []  # once per period
    assert schedule.pk


@pytest.mark.django_db
def test_the_api_gives_the_dashboard_and_requests_a_report(
    client, login, yangzhou, outsider, confirmed, django_capture_on_commit_callbacks
):
    login(yangzhou)
    body = client.get("/api/dashboard", {"year": 2026}).json()
    figures = {f["key"]: f for p in body["panels"] for f in p["figures"]}
    assert figures["batches"]["value"] == "4" and "/exchanges/?region=3210" in figures["batches"]["url"]
    assert all(p["refreshed_at"] for p in body["panels"])
    with django_capture_on_commit_callbacks(execute=True):
        made = client.post(
            "/api/reports", {"region": "3210", "year": 2026, "period": "q2"}, content_type="application/json"
        )
    assert made.status_code == 201
    run = client.get(f"/api/reports/{made.json()['id']}").json()
    assert run["status"] == "done" and run["pdf_url"].endswith("file.pdf")
    login(outsider)
    assert client.get("/api/dashboard", {"year": 2026, "region": "3210"}).status_code == 403
    assert client.get(f"/api/reports/{run['id']}").status_code == 404
    assert (
        client.post(
            "/api/reports", {"region": "3210", "year": 2026}, content_type="application/json"
        ).status_code
        == 403
    )


@pytest.mark.django_db
def test_the_active_pairings_figure_lists_only_the_regions_pairings(client, login, admin_user, paired):
    """The figure counts the pairings with a party under the region; its link must list exactly those (it used to
    list every active pairing the viewer may see)."""
    login(admin_user)
    page = client.get("/reports/", {"region": "3210", "year": "2026"}).content.decode()
    assert "/pairings/?status=active&amp;region=3210" in page
    listed = client.get("/pairings/", {"status": "active", "region": "3210"}).content.decode()
    assert f"/pairings/{paired.pk}/" in listed
    elsewhere = client.get("/pairings/", {"status": "active", "region": "5101"}).content.decode()
    assert f"/pairings/{paired.pk}/" not in elsewhere


@pytest.mark.django_db
def test_the_trend_leaves_months_not_yet_begun_empty(client, login, yangzhou, confirmed):
    """This year's line stopped at 0 for the months to come, as if exchanges had collapsed."""
    import json
    import re

    from shiliu.lib import clock

    today = clock.today()
    login(yangzhou)
    page = client.get("/reports/", {"year": today.year}).content.decode()
    data = json.loads(re.search(r'id="chart-data-trends"[^>]*>(.*?)</script>', page, re.S).group(1))
    this_year = data["series"][0]["data"]
    assert this_year[: today.month] == [v for v in this_year[: today.month] if v is not None]
    assert this_year[today.month :] == [None] * (12 - today.month)
    last_year = client.get("/reports/", {"year": today.year - 1}).content.decode()
    data = json.loads(re.search(r'id="chart-data-trends"[^>]*>(.*?)</script>', last_year, re.S).group(1))
    assert None not in data["series"][0]["data"]


@pytest.mark.django_db
def test_the_progress_poll_of_a_finished_run_reloads_the_page_instead_of_nesting_it(client, login, yangzhou):
    """The poll swapped the whole page (menu and all) into the progress bar once the run was done."""
    region = Region.objects.get(code="3210")
    run = ReportRun.objects.create(
        region=region, date_from=dt.date(2026, 1, 1), date_to=dt.date(2026, 3, 31), status=RunStatus.RUNNING
    )
    login(yangzhou)
    url = f"/reports/summaries/{run.pk}/"
    polled = client.get(url, headers={"HX-Request": "true"})
    assert polled.status_code == 200 and b"<nav" not in polled.content and b"run-progress" in polled.content
    run.status = RunStatus.FAILED
    run.save()
    done = client.get(url, headers={"HX-Request": "true"})
    assert done.status_code == 204 and done["HX-Redirect"] == url


@pytest.mark.django_db
def test_a_bad_period_or_region_is_a_400_with_the_message_at_the_field(client, login, yangzhou):
    login(yangzhou)
    for url in ("/reports/", "/reports/table/"):
        response = client.get(url, {"region": "zz", "year": "1999", "period": "m13"})
        assert response.status_code == 400
        page = response.content.decode()
        assert "zz" in page and "1999" in page and "m13" in page  # each message names the bad value
    assert client.get("/reports/table/", {"year": "1999", "format": "xlsx"}).status_code == 400


@pytest.mark.django_db
def test_the_sentence_templates_are_named_for_people_not_by_their_keys(client, login, yangzhou):
    login(yangzhou)
    page = client.get("/reports/sentences/").content.decode()
    assert '<h2 class="h6">opening</h2>' not in page
    assert '<h2 class="h6">Opening: the year' in page or '<h2 class="h6">开篇' in page
