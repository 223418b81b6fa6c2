"""Record an exchange as 新源, confirm it as 扬州, and find it once behind both regions' statistics."""

from shiliu.pairings import services as pairing_services
from shiliu.regions.models import Region
from tests.browser.conftest import log_in
from tests.browser.test_pairings import pick_region


def test_record_confirm_and_drill_down_from_the_statistics(browser, world, shot):
    p = pairing_services.pairing_propose(
        actor=world["yangzhou"],
        kind="counterpart_support",
        a_region=Region.objects.get(code="3210"),
        b_region=Region.objects.get(code="654025"),
    )
    pairing_services.pairing_respond(actor=world["xinyuan"], pairing=p, accept=True)
    url = world["url"]

    xy = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 1000})
    page = xy.new_page()
    log_in(page, url, "xinyuan")
    page.goto(f"{url}/exchanges/new/")
    page.fill("#id_title", "新源县青少年赴扬州研学")
    page.select_option("#id_activity_type", label="研学")
    page.check("#id_plan_youth")
    page.fill("#id_start_date", "2026-08-01")
    page.fill("#id_end_date", "2026-08-07")
    pick_region(page, "sending_region", "xinyuan", "654025")
    pick_region(page, "receiving_region", "yangzhou", "3210")
    page.select_option("#id_rows-0-category", "student")
    page.select_option("#id_rows-0-ethnic_group", "17")
    page.select_option("#id_rows-0-age_band", "u18")
    page.fill("#id_rows-0-count", "20")
    page.click("[data-add-row=participation]")
    page.select_option("#id_rows-3-category", "teacher")
    page.select_option("#id_rows-3-ethnic_group", "01")
    page.select_option("#id_rows-3-age_band", "o35")
    page.fill("#id_rows-3-count", "4")
    shot(page, "20-activity-record")
    page.click("button[name=action][value=submit]")
    page.wait_for_load_state()
    if page.get_by_test_id("form-errors").count():
        raise AssertionError(page.get_by_test_id("form-errors").inner_text() + page.inner_text("main"))
    page.get_by_test_id("activity-status").wait_for()
    assert page.get_by_test_id("activity-status").inner_text() == "待对方确认"
    assert page.get_by_test_id("activity-total").inner_text() == "24"

    yz = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 1000})
    other = yz.new_page()
    log_in(other, url, "yangzhou")
    other.goto(page.url)
    other.click("button[name=action][value=confirm]")
    other.get_by_text("活动已确认").wait_for()
    for who, ctx_page in (("yangzhou", other), ("xinyuan", page)):
        ctx_page.goto(f"{url}/exchanges/statistics/")
        assert ctx_page.get_by_test_id("stat-batches").inner_text() == "1", who
        assert ctx_page.get_by_test_id("stat-people").inner_text() == "24", who
    shot(other, "21-exchange-statistics-yangzhou")
    other.get_by_test_id("stat-receiving").click()
    other.get_by_test_id("activity-table").wait_for()
    assert "新源县青少年赴扬州研学" in other.get_by_test_id("activity-table").inner_text()
    assert "共 1 项活动" in other.get_by_test_id("activity-count").inner_text()
    xy.close()
    yz.close()
