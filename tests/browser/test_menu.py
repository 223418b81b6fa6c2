"""Issue 4's walk-through: 扬州 offers a 研学 package; 新源 books it; 扬州 accepts; the activity is recorded with
participant counts; 新源 confirms; both regions' statistics show it once, and the drill-down lists it."""

import datetime as dt

from shiliu.lib import clock
from shiliu.pairings import services as pairing_services
from shiliu.regions.models import Region
from tests.browser.conftest import log_in


def test_offer_package_book_accept_record_confirm_and_count(browser, world, shot):
    p = pairing_services.pairing_propose(
        actor=world["yangzhou"],
        kind="counterpart_support",
        a_region=Region.objects.get(code="3210"),
        b_region=Region.objects.get(code="654025"),
    )
    pairing_services.pairing_respond(actor=world["xinyuan"], pairing=p, accept=True)
    url = world["url"]
    yz_ctx = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 1000})
    yz = yz_ctx.new_page()
    log_in(yz, url, "yangzhou")
    for title, capacity in (("走进育才课堂", "60"), ("运河文化研学", "45")):
        yz.goto(f"{url}/exchanges/menu/offers/new/")
        yz.select_option("#id_host", str(world["yz_school"].pk))
        yz.fill("#id_title", title)
        yz.select_option("#id_activity_type", label="研学")
        yz.check("#id_plan_youth")
        yz.fill("#id_capacity", capacity)
        yz.click("main form button[type=submit]")
        yz.get_by_test_id("item-title").wait_for()
    yz.goto(f"{url}/exchanges/menu/packages/new/")
    yz.fill("#id_title", "扬州两日研学套餐")
    for box in yz.locator("input[name=offers]").all():
        box.check()
    yz.click("main form button[type=submit]")
    yz.get_by_test_id("item-title").wait_for()
    assert "最多 45 人" in yz.inner_text("main")

    xy_ctx = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 1000})
    xy = xy_ctx.new_page()
    log_in(xy, url, "xinyuan")
    xy.goto(f"{url}/exchanges/menu/")
    xy.get_by_test_id("packages").get_by_text("扬州两日研学套餐").click()
    start = clock.today() + dt.timedelta(days=30)
    xy.select_option("#id_guest", str(world["xy_school"].pk))
    xy.fill("#id_start_date", start.isoformat())
    xy.fill("#id_end_date", (start + dt.timedelta(days=1)).isoformat())
    xy.fill("#id_group_size", "40")
    xy.fill("#id_composition", "36 名学生、4 名教师")
    shot(xy, "30-booking")
    xy.click("main form[data-testid=booking-form] button[type=submit]")
    xy.get_by_test_id("outgoing").wait_for()
    assert (
        "待主办方答复" in xy.get_by_test_id("outgoing").inner_text()
        or "已提交" in xy.get_by_test_id("outgoing").inner_text()
    )

    yz.goto(f"{url}/exchanges/bookings/")
    yz.get_by_test_id("incoming").locator("button[value=accept]").first.click()
    yz.get_by_test_id("activity-status").wait_for()
    assert yz.get_by_test_id("activity-status").inner_text() == "草稿"
    yz.click("text=编辑")
    yz.select_option("#id_rows-0-category", "student")
    yz.select_option("#id_rows-0-ethnic_group", "17")
    yz.select_option("#id_rows-0-age_band", "u18")
    yz.fill("#id_rows-0-count", "36")
    yz.select_option("#id_rows-1-category", "teacher")
    yz.select_option("#id_rows-1-ethnic_group", "01")
    yz.select_option("#id_rows-1-age_band", "o35")
    yz.fill("#id_rows-1-count", "4")
    yz.click("button[name=action][value=submit]")
    yz.wait_for_load_state()
    if yz.get_by_test_id("form-errors").count():
        raise AssertionError(yz.inner_text("main")[:3000])
    yz.get_by_test_id("activity-total").wait_for()
    assert yz.get_by_test_id("activity-total").inner_text() == "40"
    yz.click("button[name=action][value=submit]")  # submit the draft for the guest's confirmation
    yz.get_by_text("已提交对方确认").wait_for()
    activity_url = yz.url

    xy.goto(activity_url)
    xy.click("button[name=action][value=confirm]")
    xy.get_by_text("活动已确认").wait_for()
    for page in (yz, xy):
        page.goto(f"{url}/exchanges/statistics/")
        assert page.get_by_test_id("stat-batches").inner_text() == "1"
        assert page.get_by_test_id("stat-people").inner_text() == "40"
    shot(xy, "31-statistics-xinyuan")
    xy.get_by_test_id("stat-sending").click()
    xy.get_by_test_id("activity-table").wait_for()
    assert "扬州两日研学套餐" in xy.get_by_test_id("activity-table").inner_text()
    yz_ctx.close()
    xy_ctx.close()
