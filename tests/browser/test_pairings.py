"""The pairing walk-through in a real browser: propose as 扬州, accept as 新源, meet, decide, go overdue."""

import datetime as dt

from shiliu.lib import clock
from tests.browser.conftest import log_in


def pick_region(page, field: str, query: str, code: str) -> None:
    picker = page.locator(f"#id_{field}")
    picker.fill(query)
    option = page.locator(f".region-picker:has(#id_{field}) [data-code='{code}']")
    option.wait_for()
    option.click()


def test_propose_accept_meet_decide_and_see_it_overdue_on_both_sides(browser, world, shot):
    url = world["url"]
    yz = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = yz.new_page()
    log_in(page, url, "yangzhou")
    page.goto(f"{url}/pairings/new/")
    page.select_option("#id_kind", "co_building")
    pick_region(page, "a_region", "guangling", "321002")
    page.locator(f"#id_a_unit option[value='{world['yz_school'].pk}']").wait_for(state="attached")
    page.select_option("#id_a_unit", str(world["yz_school"].pk))
    pick_region(page, "b_region", "xinyuan", "654025")
    page.locator(f"#id_b_unit option[value='{world['xy_school'].pk}']").wait_for(state="attached")
    page.select_option("#id_b_unit", str(world["xy_school"].pk))
    shot(page, "10-pairing-propose")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    if page.get_by_test_id("form-errors").count():
        shot(page, "10-pairing-propose-errors")
        raise AssertionError(page.inner_text("main")[:1500])
    page.get_by_test_id("pairing-status").wait_for()
    assert page.get_by_test_id("pairing-status").inner_text() == "待对方确认"
    pairing_url = page.url

    xy = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    other = xy.new_page()
    log_in(other, url, "xinyuan")
    assert other.get_by_test_id("unread-count").inner_text().strip() == "1"
    # the bell's accessible name holds what it shows (WCAG 2.5.3)
    assert other.get_by_role("link", name="消息提醒 1 条未读").count() == 1
    other.goto(f"{url}/pairings/")
    other.get_by_test_id("awaiting").locator("a").first.click()
    other.click("button[name=decision][value=accept]")
    other.get_by_text("您的答复已记录").wait_for()
    assert other.get_by_test_id("pairing-status").inner_text() == "进行中"

    other.click("text=安排联席会议")
    other.fill("#id_title", "第一次结对联席会议")
    other.fill("#id_held_at", clock.today().isoformat() + "T10:00")
    other.fill("#id_place", "新源县会议中心")
    other.select_option("#id_attendees", [str(world["yz_school"].pk), str(world["xy_school"].pk)])
    other.click("main form button[type=submit]")
    other.get_by_test_id("meeting").wait_for()
    other.click("text=添加议定事项")
    other.fill("#id_title", "两校互派教师各2名")
    other.select_option("#id_owner", str(world["xy_school"].pk))
    other.fill("#id_deadline", (clock.today() + dt.timedelta(days=2)).isoformat())
    other.click("main form button[type=submit]")
    item = other.get_by_test_id("action-item").first
    item.wait_for()
    assert "overdue" not in (item.get_attribute("class") or "")

    clock.travel(3)  # the live server runs in this process: its clock moves too
    try:
        other.reload()
        assert "overdue" in (other.get_by_test_id("action-item").first.get_attribute("class") or "")
        assert "已逾期" in other.get_by_test_id("action-item").first.inner_text()
        shot(other, "11-pairing-overdue-xinyuan")
        page.goto(pairing_url)
        assert "overdue" in (page.get_by_test_id("action-item").first.get_attribute("class") or "")
        page.goto(f"{url}/pairings/items/?open=1")
        row = page.get_by_test_id("action-item").first
        assert "overdue" in (row.get_attribute("class") or "") and "两校互派教师" in row.inner_text()
        page.goto(f"{url}/pairings/")
        assert page.get_by_test_id("overdue-alert").is_visible()
        shot(page, "12-pairing-overdue-yangzhou")
    finally:
        clock.reset()
    yz.close()
    xy.close()
