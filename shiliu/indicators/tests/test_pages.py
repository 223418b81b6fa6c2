"""The pages: entry form with bad input, derived values marked and drilled down, workflow buttons, runs, embedding,
sites, import; another jurisdiction's URLs are 404 and its records appear in no list or API answer."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import Workbook

from conftest import make_user
from shiliu.exchanges.ledger.models import Activity, ActivityType, Participation
from shiliu.indicators import imports, services
from shiliu.indicators.models import (
    DataValue,
    DemonstrationSite,
    EvaluationRun,
    IndicatorSystem,
    PeriodReturn,
    Recognition,
    ReturnStatus,
    SiteStatus,
)
from shiliu.regions.models import Region

from .conftest import BASE, C1, C2, YZ, entries

pytestmark = pytest.mark.usefixtures("catalogue", "communities")


def form_data(values=BASE, source="社区台账", **extra):
    data = {"source": source}
    for key, value in values.items():
        data[f"v_{key}"] = "" if value is None else str(value)
    data.update(extra)
    return data


def test_the_entry_form_saves_and_shows_errors_next_to_the_field(login, xinyuan):
    client = login(xinyuan)
    url = f"/indicators/entry/?region={C1}&period=2026Q2"
    page = client.get(url)
    assert page.status_code == 200
    assert "derived-activities" in page.content.decode()  # a derived element says so and has no input
    bad = client.post(url, form_data({**BASE, "satisfaction": 130}))
    assert bad.status_code == 400
    assert 'data-testid="form-errors"' in bad.content.decode()
    assert not DataValue.objects.exists()
    ok = client.post(url, form_data())
    assert ok.status_code == 302
    assert DataValue.objects.get(element__code="households", region_id=C1).entered_by == xinyuan


def test_a_derived_value_cannot_be_typed_through_the_form(login, xinyuan):
    client = login(xinyuan)
    client.post(f"/indicators/entry/?region={C1}&period=2026Q2", form_data(v_activities="99"))
    assert not DataValue.objects.filter(element__code="activities").exists()


def test_a_locked_period_refuses_the_form(login, xinyuan, yili):
    services.values_enter(
        actor=xinyuan, region=Region.objects.get(code=C1), period="2026Q2", entries=entries(BASE), source="s"
    )
    ret = PeriodReturn.objects.get()
    services.return_submit(actor=xinyuan, ret=ret)
    response = login(xinyuan).post(
        f"/indicators/entry/?region={C1}&period=2026Q2", form_data({**BASE, "households": 700})
    )
    assert response.status_code == 400
    assert DataValue.objects.get(element__code="households").value == 650


def test_the_level_above_approves_on_the_returns_page(login, xinyuan, yili):
    services.values_enter(
        actor=xinyuan, region=Region.objects.get(code=C1), period="2026Q2", entries=entries(BASE), source="s"
    )
    ret = PeriodReturn.objects.get()
    login(xinyuan).post(f"/indicators/returns/{ret.pk}/submit/")
    client = login(yili)
    assert f"approve-{C1}" in client.get("/indicators/returns/").content.decode()
    client.post(f"/indicators/returns/{ret.pk}/approve/")
    client.post(f"/indicators/returns/{ret.pk}/accept/")
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.ACCEPTED


def test_derived_values_come_from_confirmed_activities_and_drill_down(login, xinyuan):
    activity = Activity.objects.create(
        title="那拉提镇与扬州社区联谊",
        activity_type=ActivityType.objects.first(),
        start_date="2026-05-08",
        end_date="2026-05-08",
        sending_region_id=C1,
        receiving_region_id="321002",
        plan_embedding=True,
        status="confirmed",
        recorded_by_side="sending",
        created_by=xinyuan,
    )
    Participation.objects.create(
        activity=activity, category="resident", ethnic_group_id="17", age_band="adult", count=12
    )
    services.derive_values(region_code="654025", period="2026Q2")
    value = DataValue.objects.get(element__code="activities", region_id=C1, period="2026Q2")
    assert value.value == 1 and value.derived and value.records == {"kind": "activity", "ids": [activity.pk]}
    assert DataValue.objects.get(element__code="person_times", region_id=C1).value == 12
    assert DataValue.objects.get(element__code="activities", region_id=C2).value == 0
    page = login(xinyuan).get(f"/indicators/values/{value.pk}/").content.decode()
    assert "那拉提镇与扬州社区联谊" in page and f"/exchanges/{activity.pk}/" in page


def test_the_derivation_task_reports_progress(login, xinyuan):
    response = login(xinyuan).post("/indicators/derive/", {"region": "654025", "period": "2026Q2"})
    assert response.status_code == 302
    page = login(xinyuan).get(response.url)
    assert page.status_code == 200 and "2026Q2" in page.content.decode()


def _run(xinyuan):
    for code in (C1, C2):
        services.values_enter(
            actor=xinyuan,
            region=Region.objects.get(code=code),
            period="2026Q2",
            entries=entries({**BASE, "households_mixed": 100.0 if code == C2 else 300.0}),
            source="s",
        )
    return services.run_create(
        actor=xinyuan,
        system=IndicatorSystem.objects.get(code="bagong_bayou"),
        region=Region.objects.get(code="654025"),
        period="2026Q2",
    )


def test_run_pages_explain_compare_and_show_sensitivity(login, xinyuan):
    run = _run(xinyuan)
    client = login(xinyuan)
    page = client.get(f"/indicators/runs/{run.pk}/").content.decode()
    assert "run-chart-data" in page and "sensitivity-table" in page
    unit = client.get(f"/indicators/runs/{run.pk}/units/0/").content.decode()
    assert "/indicators/explain/" in unit
    what_if = client.get(f"/indicators/runs/{run.pk}/?indicator=0&change=10").content.decode()
    assert "what-if-result" in what_if
    assert client.get(f"/indicators/runs/{run.pk}/?indicator=99").status_code == 404
    assert 'data-testid="reproduced"' in client.get(f"/indicators/runs/{run.pk}/reproduce/").content.decode()
    assert client.get(f"/indicators/runs/compare/?a={run.pk}&b={run.pk}").status_code == 200
    explain = client.get(f"/indicators/explain/mixed_household_rate/{C1}/2026Q2/").content.decode()
    assert "households_mixed" in explain and "/indicators/values/" in explain


def test_the_run_form_refuses_bad_input(login, xinyuan):
    response = login(xinyuan).post(
        "/indicators/runs/",
        {
            "system": IndicatorSystem.objects.first().pk,
            "region": "654025",
            "period": "2026Q9",
            "aggregation": "arithmetic",
            "normalisation": "minmax",
        },
    )
    assert response.status_code == 400
    assert not EvaluationRun.objects.exists()


def test_ahp_page_refuses_inconsistent_judgements(login, expert):
    system = IndicatorSystem.objects.get(code="bagong_bayou")
    parent = system.nodes.get(name="共维")
    response = login(expert).post(
        f"/indicators/systems/{system.pk}/weights/{parent.pk}/",
        {"mode": "ahp", "a_0_1": "9", "a_0_2": "1/9", "a_1_2": "9"},
    )
    assert response.status_code == 400
    assert "0.10" in response.content.decode()
    typed = login(expert).post(
        f"/indicators/systems/{system.pk}/weights/0/",
        {"mode": "typed", **{f"w_{n.pk}": "0.5" for n in system.nodes.filter(parent=None)}},
    )
    assert typed.status_code == 400
    zero = login(expert).post(
        f"/indicators/systems/{system.pk}/weights/{parent.pk}/",
        {"mode": "ahp", "a_0_1": "1/0", "a_0_2": "3", "a_1_2": "1"},
    )
    assert zero.status_code == 400  # not a server error
    assert "1/3" in zero.content.decode()  # the message next to the field says how to write one


def test_the_entry_form_shows_stored_values_without_float_noise(login, xinyuan):
    client = login(xinyuan)
    url = f"/indicators/entry/?region={C1}&period=2026Q2"
    assert (
        client.post(
            url, form_data({**BASE, "households": 700, "satisfaction": 83.32510017716534})
        ).status_code
        == 302
    )
    page = client.get(url).content.decode()
    assert 'value="700"' in page and 'value="700.0"' not in page
    assert 'value="83.3251"' in page


def test_the_embedding_page_classifies(login, xinyuan):
    services.values_enter(
        actor=xinyuan, region=Region.objects.get(code=C1), period="2026Q2", entries=entries(BASE), source="s"
    )
    page = login(xinyuan).get("/indicators/embedding/?region=654025&period=2026Q2&before=2026Q1")
    assert page.status_code == 200
    assert f"community-{C1}" in page.content.decode()


def test_sites_are_designated_reviewed_and_withdrawn_with_a_reason(login, xinyuan):
    client = login(xinyuan)
    response = client.post(
        "/indicators/sites/",
        {
            "form": "site",
            "site-kind": "community",
            "site-name": "示范社区",
            "site-region": C1,
            "site-designated_on": "2026-07-01",
            "site-review_years": "3",
            "site-is_public": "on",
        },
    )
    assert response.status_code == 302
    site = DemonstrationSite.objects.get()
    assert site.next_review_on.year == 2029
    assert "示范社区" in client.get("/indicators/public/").content.decode()
    refused = client.post(f"/indicators/sites/{site.pk}/", {"action": "withdraw", "reason": ""})
    assert refused.status_code == 400
    confirm = client.post(f"/indicators/sites/{site.pk}/", {"action": "withdraw", "reason": "复评未通过"})
    assert confirm.status_code == 200 and DemonstrationSite.objects.get().status == SiteStatus.ACTIVE
    client.post(
        f"/indicators/sites/{site.pk}/", {"action": "withdraw", "reason": "复评未通过", "confirmed": "1"}
    )
    site.refresh_from_db()
    assert (
        site.status == SiteStatus.WITHDRAWN and site.withdrawal_reason == "复评未通过" and not site.is_public
    )
    assert "示范社区" not in client.get("/indicators/public/").content.decode()
    bad = client.post(
        "/indicators/sites/",
        {
            "form": "recognition",
            "rec-kind": "collective",
            "rec-name": "互助队",
            "rec-region": C1,
            "rec-citation": "",
            "rec-awarded_on": "2026-07-01",
        },
    )
    assert bad.status_code == 400 and not Recognition.objects.exists()


def test_another_jurisdiction_gets_404_and_sees_nothing(login, xinyuan, outsider):
    run = _run(xinyuan)
    value = DataValue.objects.first()
    ret = PeriodReturn.objects.first()
    site = services.site_designate(
        actor=xinyuan,
        data={
            "kind": "community",
            "name": "示范",
            "region": Region.objects.get(code=C1),
            "designated_on": run.created_at.date(),
        },
    )
    client = login(outsider)
    for url in (
        f"/indicators/runs/{run.pk}/",
        f"/indicators/values/{value.pk}/",
        f"/indicators/sites/{site.pk}/",
        f"/indicators/entry/?region={C1}&period=2026Q2",
        f"/indicators/explain/mixed_household_rate/{C1}/2026Q2/",
        f"/indicators/runs/{run.pk}/units/0/",
        "/indicators/embedding/?region=654025&period=2026Q2",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/indicators/returns/{ret.pk}/submit/").status_code == 404
    assert "样板甲社区" not in client.get("/indicators/sites/").content.decode()
    assert C1 not in client.get("/indicators/returns/").content.decode()
    api = client.get("/api/indicator-values")
    assert api.status_code == 200 and api.json()["count"] == 0
    assert client.get(f"/api/evaluation-runs/{run.pk}").status_code == 404
    assert client.get("/api/indicator-values?region=654025").status_code == 403  # as the statistics API
    assert login(xinyuan).get("/api/indicator-values?region=654025999").status_code == 422  # no such division


def test_the_api_gives_values_runs_systems_and_indicators(login, xinyuan, resident):
    run = _run(xinyuan)
    client = login(xinyuan)
    values = client.get(f"/api/indicator-values?region={C1}&period=2026Q2").json()
    assert values["count"] == len(BASE)
    detail = client.get(f"/api/evaluation-runs/{run.pk}").json()
    assert detail["rows"][0]["rank"] == 1 and detail["system"] == "bagong_bayou"
    system = IndicatorSystem.objects.get(code="bagong_bayou")
    assert len(client.get(f"/api/indicator-systems/{system.pk}").json()["nodes"]) == system.nodes.count()
    assert client.get("/api/indicators").json()["count"] >= 10
    assert login(resident).get("/api/indicator-values").status_code == 403


def _workbook(rows):
    wb = Workbook()
    ws = wb.active
    ws.title = imports.SHEET_TITLE
    ws.append(list(imports.HEADERS))
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "values.xlsx"
    return buf


def test_the_import_writes_all_rows_or_none_with_row_and_column(login, xinyuan):
    client = login(xinyuan)
    good = [
        [C1, "2026Q2", "households", "", 650, "台账", ""],
        [C1, "2026Q2", "population", "哈萨克族", 1200, "台账", ""],
        [C2, "2026Q2", "households", "", 300, "台账", ""],
    ]
    response = client.post("/indicators/import/", {"file": _workbook(good)})
    assert response.status_code == 302
    assert DataValue.objects.count() == 3
    bad = [
        [C1, "2026Q3", "households", "", 651, "台账", ""],
        [C2, "2026Q3", "satisfaction", "", 130, "台账", ""],
        ["999", "2026Q3", "nope", "", "x", "台账", ""],
    ]
    response = client.post("/indicators/import/", {"file": _workbook(bad)})
    job = client.get(response.url)
    problems = job.context["job"].problems
    assert {(p["row"], p["column"]) for p in problems} >= {
        (3, "数值"),
        (4, "区划代码"),
        (4, "数据元素代码"),
        (4, "数值"),
    }
    assert not DataValue.objects.filter(period="2026Q3").exists()


def test_a_file_that_is_not_a_workbook_is_refused_at_once(login, xinyuan):
    buf = io.BytesIO(b"not a workbook")
    buf.name = "values.xlsx"
    response = login(xinyuan).post("/indicators/import/", {"file": buf})
    assert response.status_code == 400


def test_a_resident_gets_403(login, resident):
    assert login(resident).get("/indicators/").status_code == 403


def test_the_home_page_lists_returns_to_approve(login, xinyuan, yili):
    services.values_enter(
        actor=xinyuan, region=Region.objects.get(code=C1), period="2026Q2", entries=entries(BASE), source="s"
    )
    services.return_submit(actor=xinyuan, ret=PeriodReturn.objects.get())
    assert "to-approve" in login(yili).get("/indicators/").content.decode()
    assert json.dumps(YZ)  # the 扬州 community exists but belongs to nobody here
    make_user("yz-two", "commission_staff", "3210")


def test_lecture_sources_count_sessions_and_people_and_drill_down(xinyuan, outsider):
    from shiliu.culture.models import Lecture, LectureSeries
    from shiliu.indicators import derivation

    series = LectureSeries.objects.create(title="视频大宣讲", region_id="654025")
    held = [
        Lecture.objects.create(
            series=series,
            topic=f"第{n}讲",
            speaker="宣讲员",
            held_on=day,
            region_id=C1,
            venue="活动室",
            attendance=n * 10,
        )
        for n, day in ((1, "2026-04-10"), (2, "2026-06-30"), (3, "2026-07-01"))  # the third is in Q3
    ]
    sessions = derivation.derive("lectures", [C1, C2, "654025"], "2026Q2")
    assert sessions[C1].value == 2 and sessions[C2].value == 0 and sessions["654025"].value == 2
    people = derivation.derive("lecture_attendance", [C1], "2026Q2")[C1]
    assert people.value == 30 and sorted(people.ids) == [held[0].pk, held[1].pk]
    rows = derivation.RECORD_KINDS["lecture"].rows(xinyuan, people.ids)
    assert [r[0] for r in rows] == ["第1讲", "第2讲"] and rows[0][2] == f"/culture/lectures/{held[0].pk}/"
    assert (
        derivation.RECORD_KINDS["lecture"].rows(outsider, people.ids) == []
    )  # another jurisdiction sees none
