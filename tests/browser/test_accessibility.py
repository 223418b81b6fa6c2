"""Accessibility in a real browser (WCAG 2.1 AA / GB/T 37668-2019, the MIIT older-user requirements).

Every page visited here, as in every other browser test, is checked by axe-core at 1440 px and 390 px and for
reflow at 320 px (a11y.py, automatically). These tests add the pages of every role, the keyboard alone on the
activity form and its region picker, the idle-timeout warning and the form kept across it, and senior mode.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from playwright.sync_api import expect

from shiliu.exchanges.ledger import services as ledger_services
from shiliu.exchanges.menu import services as menu_services
from shiliu.exchanges.tourism import services as tourism_services
from shiliu.exchanges.youth import matching as youth_matching
from shiliu.exchanges.youth import services as youth_services
from shiliu.lib import clock
from tests.browser import a11y
from tests.browser.conftest import log_in

# The contrast ratio of two CSS colours (WCAG's relative luminance), computed in the page.
CONTRAST = """
([a, b]) => {
  const rgb = (c) => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = (c) => {
    const [r, g, b2] = rgb(c).map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b2;
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}
"""


def _records(world: dict[str, Any]) -> dict[str, Any]:
    """A pairing with an overdue decision, an activity awaiting 扬州's confirmation, the menu, pen-pals, tourism."""
    from conftest import make_user
    from shiliu.exchanges.tests.test_ledger import rows, visit
    from shiliu.exchanges.tests.test_menu import offer_data
    from shiliu.exchanges.tests.test_tourism import tour
    from shiliu.notifications.services import notify
    from shiliu.pairings import services as pairing_services
    from shiliu.pairings.models import ActionItem
    from shiliu.regions.models import Region

    yangzhou, xinyuan = world["yangzhou"], world["xinyuan"]
    pairing = pairing_services.pairing_propose(
        actor=yangzhou,
        kind="counterpart_support",
        a_region=Region.objects.get(code="3210"),
        b_region=Region.objects.get(code="654025"),
    )
    pairing_services.pairing_respond(actor=xinyuan, pairing=pairing, accept=True)
    pairing.refresh_from_db()
    meeting = pairing_services.meeting_schedule(
        actor=yangzhou,
        pairing=pairing,
        title="第一次联席会议",
        held_at=clock.now() - dt.timedelta(days=10),
        place="扬州",
        attendees=[world["yz_school"], world["xy_school"]],
    )
    pairing_services.action_item_add(
        actor=yangzhou,
        meeting=meeting,
        title="两校互派教师各2名",
        owner=world["xy_school"],
        deadline=clock.today() + dt.timedelta(days=5),
    )
    ActionItem.objects.update(deadline=clock.today() - dt.timedelta(days=2))  # overdue: the red row
    activity = ledger_services.activity_record(actor=xinyuan, data=visit(), participations=rows())
    offer = menu_services.offer_publish(
        actor=yangzhou, host=world["yz_school"], data=offer_data("运河文化研学")
    )
    package = menu_services.package_publish(
        actor=yangzhou, host=world["yz_school"], title="扬州研学套餐", offers=[offer]
    )
    programme = youth_services.programme_create(
        actor=yangzhou,
        title="书信手拉手",
        school_a=world["yz_school"],
        class_a="五年级二班",
        school_b=world["xy_school"],
        class_b="初一（3）班",
    )
    for i in range(1, 3):
        youth_services.student_add(
            actor=yangzhou, programme=programme, side="a", code=f"A-{i:02d}", grade=5, age=11, interests="足球",
            consent_on=dt.date(2026, 9, 1),
        )  # fmt: skip
    youth_services.student_add(
        actor=xinyuan, programme=programme, side="b", code="B-01", grade=6, age=12, interests="绘画",
        consent_on=dt.date(2026, 9, 1),
    )  # fmt: skip
    youth_matching.match_run(actor=xinyuan, programme=programme)
    tourism_services.tour_group_record(actor=yangzhou, data=tour())
    route = tourism_services.route_create(
        actor=xinyuan,
        data={"title": "那拉提草原研学路线", "region": Region.objects.get(code="654025"), "days": 3},
        stops=[{"name": "那拉提草原", "region": Region.objects.get(code="654025")}],
    )
    coordinator = make_user("xinyuan-school", "unit_coordinator", "654025", world["xy_school"])
    resident = make_user("resident", "resident", "654025100")
    notify(recipients=[resident], text="您的服务申请已受理", key="a11y-resident")
    return {
        "pairing": pairing,
        "activity": activity,
        "package": package,
        "offer": offer,
        "programme": programme,
        "route": route,
        "coordinator": coordinator,
        "resident": resident,
    }


def _submit_empty(page: Any) -> None:
    """Send the page's form as it is: the error state is checked too."""
    page.locator("main form[method=post] button[type=submit]").first.click()
    page.get_by_test_id("form-errors").wait_for()
    expect(page.locator("[data-error-summary]")).to_be_focused()


def test_every_role_sees_its_pages_without_accessibility_problems(browser, world):
    data = _records(world)
    url = world["url"]
    pages = {
        "admin": ["/", "/audit/", "/units/?kind=school", "/notifications/"],
        "yangzhou": [
            f"/pairings/{data['pairing'].pk}/",
            "/pairings/items/?open=1",
            "/pairings/coverage/?region=3210&unit_kind=school",
            "/pairings/propose/",
            f"/exchanges/{data['activity'].pk}/",
            "/exchanges/menu/",
            f"/exchanges/menu/packages/{data['package'].pk}/",
            "/exchanges/bookings/",
            f"/exchanges/penpals/{data['programme'].pk}/",
            "/exchanges/online/",
            "/exchanges/routes/",
            f"/exchanges/routes/{data['route'].pk}/",
            "/exchanges/tours/",
            "/exchanges/tours/new/",
            f"/pairings/{data['pairing'].pk}/agreements/new/",
            f"/pairings/{data['pairing'].pk}/meetings/new/",
            f"/exchanges/menu/offers/{data['offer'].pk}/",
            "/exchanges/penpals/new/",
            "/accounts/otp/setup/",
            "/units/999999/",  # the 404 page
        ],
        "xinyuan-school": [
            "/",
            "/exchanges/",
            "/exchanges/penpals/",
            "/exchanges/online/new/",
            "/pairings/propose/",  # the 403 page
        ],
        "resident": ["/", "/notifications/", "/preferences/"],
    }
    forms = {"admin": ["/units/new/"], "yangzhou": ["/pairings/new/", "/exchanges/routes/new/"]}
    for who, paths in pages.items():
        context = browser.new_context(locale="zh-CN", viewport={"width": 1440, "height": 900})
        page = context.new_page()
        log_in(page, url, who)
        for path in paths:
            page.goto(url + path)  # checked by axe here (a11y.py)
        for path in forms.get(who, []):
            page.goto(url + path)
            _submit_empty(page)
        context.close()
    # anonymous: the login page, with an error, and in English
    context = browser.new_context(locale="zh-CN", viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", "nobody")
    page.fill("#id_password", "wrong-password")
    page.click("main button[type=submit]")
    page.get_by_test_id("form-errors").wait_for()
    page.get_by_test_id("lang-switch").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_test_id("lang-switch")).to_have_attribute("lang", "zh-Hans")
    context.close()
    assert {"/audit/", "/preferences/", "/exchanges/bookings/", "/accounts/login/"} <= a11y.STATS.paths


def _active(page: Any) -> dict[str, str]:
    return page.evaluate(
        """() => { const el = document.activeElement;
                   return {id: el.id, tag: el.tagName.toLowerCase(), text: el.textContent.trim(),
                           name: el.getAttribute('name') || '', value: el.value || ''}; }"""
    )


def _tab_to(page: Any, css: str, limit: int = 80) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(css) => document.activeElement.matches(css)", css):
            return
    raise AssertionError(f"Tab never reached {css}")


def _arrow_to(page: Any, text: str, limit: int = 60) -> None:
    """Choose an option of the focused <select> with the arrow keys."""
    for _ in range(limit):
        if page.evaluate("() => document.activeElement.selectedOptions[0].textContent.trim()") == text:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"no option {text}")


def _type_date(page: Any, year: str, month: str, day: str) -> None:
    """Type into a browser date field. Debian's headless chromium lays it out month/day/year whatever the page's
    locale (each part moves on by itself once full); the value is checked after."""
    page.keyboard.type(month)
    page.keyboard.type(day)
    page.keyboard.type(year)


def _combobox_state(page: Any, field: str) -> dict[str, Any]:
    return page.evaluate(
        """(id) => {
          const box = document.getElementById(id);
          const list = document.getElementById(box.getAttribute('aria-controls'));
          const active = box.getAttribute('aria-activedescendant');
          const options = [...list.querySelectorAll('[role=option]')];
          return {
            role: box.getAttribute('role'), expanded: box.getAttribute('aria-expanded'),
            autocomplete: box.getAttribute('aria-autocomplete'), listRole: list.getAttribute('role'),
            listVisible: !list.hidden, active: active,
            selected: options.filter((o) => o.getAttribute('aria-selected') === 'true').map((o) => o.id),
            activeCode: active ? document.getElementById(active).dataset.code : null,
            options: options.length, text: box.value,
            code: box.closest('.region-picker').querySelector('[data-region-code]').value,
            focused: document.activeElement === box,
          };
        }""",
        f"id_{field}",
    )


def _pick_with_keys(page: Any, field: str, query: str, code: str) -> None:
    """Type into the combobox, walk the suggestions with the arrow keys, pick with Enter."""
    page.keyboard.type(query)
    page.locator(f"#id_{field}_listbox [role=option]").first.wait_for()
    state = _combobox_state(page, field)
    assert state["expanded"] == "true" and state["listVisible"] and state["options"] > 0
    assert state["active"] is None and state["selected"] == []  # nothing highlighted until the arrows move
    for _ in range(state["options"]):
        page.keyboard.press("ArrowDown")
        state = _combobox_state(page, field)
        assert state["focused"], "the focus stays in the text box"
        assert state["selected"] == [state["active"]]  # the highlighted option is the selected one
        if state["activeCode"] == code:
            break
    assert state["activeCode"] == code, f"{code} is not among the suggestions for {query}"
    before = page.url
    page.keyboard.press("Enter")
    state = _combobox_state(page, field)
    assert page.url == before  # Enter picked the suggestion and sent nothing
    assert state["code"] == code and state["expanded"] == "false" and state["active"] is None


def _pair(world: dict[str, Any]) -> None:
    from shiliu.pairings import services as pairing_services
    from shiliu.regions.models import Region

    p = pairing_services.pairing_propose(
        actor=world["yangzhou"],
        kind="counterpart_support",
        a_region=Region.objects.get(code="3210"),
        b_region=Region.objects.get(code="654025"),
    )
    pairing_services.pairing_respond(actor=world["xinyuan"], pairing=p, accept=True)


def test_the_activity_form_is_filled_and_sent_with_the_keyboard_alone(browser, world, shot):
    _pair(world)
    url = world["url"]
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    log_in(page, url, "xinyuan")
    page.goto(f"{url}/exchanges/new/")

    # The skip link is the first Tab stop and lands in the main content.
    page.keyboard.press("Tab")
    assert _active(page)["text"] == "跳到主要内容"
    expect(page.locator(".skip-link")).to_be_visible()
    page.keyboard.press("Enter")
    assert _active(page)["id"] == "main"

    # Sent empty: the error summary takes the focus and its links lead to the fields.
    _tab_to(page, "button[name=action][value=submit]")
    page.keyboard.press("Enter")
    page.get_by_test_id("form-errors").wait_for()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("标题：这个字段是必填项。")
    expect(summary).to_contain_text("派出方：行政区划：这个字段是必填项。")
    expect(summary).to_contain_text("参与人员第 1 行，人次：这个字段是必填项。")
    title = page.locator("#id_title")
    assert title.get_attribute("aria-describedby") == "id_title_error"
    expect(page.locator("#id_title_error")).to_have_text("这个字段是必填项。")
    page.keyboard.press("Tab")
    assert _active(page)["tag"] == "a"
    page.keyboard.press("Enter")
    assert _active(page)["id"] == "id_title"
    # The focus ring and the field's border stand out from the page (3:1, WCAG 1.4.11).
    ring = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth), s.outlineColor, getComputedStyle(document.body).backgroundColor]; }"
    )
    assert ring[0] == "solid" and ring[1] >= 2 and page.evaluate(CONTRAST, [ring[2], ring[3]]) >= 3
    border = page.evaluate("() => getComputedStyle(document.querySelector('#id_place')).borderTopColor")
    assert page.evaluate(CONTRAST, [border, "rgb(255, 255, 255)"]) >= 3

    page.keyboard.type("新源县青少年赴扬州研学")
    page.keyboard.press("Tab")
    assert _active(page)["id"] == "id_activity_type"
    _arrow_to(page, "研学")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert _active(page)["id"] == "id_plan_youth"
    page.keyboard.press("Space")
    _tab_to(page, "#id_start_date")
    _type_date(page, "2026", "08", "01")
    _tab_to(page, "#id_end_date")  # (Tab first walks the date's year, month and day)
    _type_date(page, "2026", "08", "07")
    assert page.input_value("#id_start_date") == "2026-08-01"
    assert page.input_value("#id_end_date") == "2026-08-07"
    _tab_to(page, "#id_sending_region")

    # The region picker, as a screen reader meets it.
    state = _combobox_state(page, "sending_region")
    assert state["role"] == "combobox" and state["autocomplete"] == "list" and state["listRole"] == "listbox"
    assert state["expanded"] == "false" and not state["listVisible"]
    page.keyboard.type("xinyuan")
    page.locator("#id_sending_region_listbox [role=option]").first.wait_for()
    page.keyboard.press("ArrowDown")
    first = _combobox_state(page, "sending_region")
    assert first["expanded"] == "true" and first["selected"] == [first["active"]]
    a11y.check(page, force=True)  # the open list passes axe too
    page.keyboard.press("Escape")  # closes the list and keeps the text
    state = _combobox_state(page, "sending_region")
    assert state["expanded"] == "false" and state["text"] == "xinyuan" and state["code"] == ""
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    _pick_with_keys(page, "sending_region", "xinyuan", "654025")
    assert _combobox_state(page, "sending_region")["text"] == "伊犁哈萨克自治州 新源县"
    expect(page.locator("#id_sending_region").locator("xpath=..").locator("[role=status]")).to_contain_text(
        "已选择"
    )

    # Tab leaves the picker at once, list open or not; Enter before the suggestions arrive sends nothing.
    _tab_to(page, "#id_receiving_region")
    page.keyboard.type("yangzhou")
    page.keyboard.press("Enter")
    assert "/exchanges/new/" in page.url and page.get_by_test_id("activity-status").count() == 0
    page.locator("#id_receiving_region_listbox [role=option]").first.wait_for()
    state = _combobox_state(page, "receiving_region")
    assert state["expanded"] == "true" and state["selected"] == [state["active"]]  # the first, ready to pick
    page.keyboard.press("Tab")
    assert _active(page)["id"] == "id_receiving_unit"
    assert _combobox_state(page, "receiving_region")["expanded"] == "false"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    _pick_with_keys(page, "receiving_region", "yangzhou", "3210")

    # The participant rows: every control named with its row.
    _tab_to(page, "#id_rows-0-category")
    expect(page.get_by_role("combobox", name="人员类别（第 1 行）")).to_be_focused()
    _arrow_to(page, "学生")
    page.keyboard.press("Tab")
    _arrow_to(page, "汉族")
    page.keyboard.press("Tab")
    _arrow_to(page, "18 岁以下")
    _tab_to(page, "#id_rows-0-count")
    page.keyboard.type("20")
    shot(page, "60-activity-form-keyboard")
    _tab_to(page, "button[name=action][value=submit]")
    page.keyboard.press("Enter")
    page.get_by_test_id("activity-status").wait_for()
    assert page.get_by_test_id("activity-status").inner_text() == "待对方确认"
    assert page.get_by_test_id("activity-total").inner_text() == "20"
    parties = page.inner_text("main dl")
    assert "新源县" in parties and "扬州市" in parties
    context.close()


def test_overwriting_a_chosen_region_never_sends_its_old_code(browser, world):
    url = world["url"]
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, url, "admin")
    page.goto(f"{url}/units/")
    page.fill("#id_region", "yangzhou")
    page.locator("#id_region_listbox [data-code='3210']").click()
    assert page.locator("input[name=region]").input_value() == "3210"
    page.fill("#id_region", "chengdu")  # typed over the chosen region, then left without picking
    page.keyboard.press("Tab")
    assert page.locator("input[name=region]").input_value() == ""
    expect(page.locator("#id_region").locator("xpath=..").locator("[role=status]")).to_contain_text(
        "尚未选择地区"
    )
    page.click("main form button[type=submit]")
    expect(page.locator("#id_region_error")).to_contain_text("“chengdu”不是从建议列表中选择的地区")
    expect(page.locator("[data-error-summary]")).to_be_focused()
    assert "region=&" in page.url and "region_label=chengdu" in page.url  # 3210 was never sent
    context.close()


def test_the_idle_timeout_warns_first_and_a_form_sent_after_it_is_kept(browser, world, shot):
    from django.contrib.sessions.models import Session

    from tests.browser.test_pairings import pick_region

    _pair(world)
    url = world["url"]
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.clock.install()  # the page's own clock, moved forward below (the server's idle limit stays 30 min)
    log_in(page, url, "xinyuan")
    page.goto(f"{url}/exchanges/new/")
    page.fill("#id_title", "超时后仍保留的活动")
    page.select_option("#id_activity_type", label="研学")
    page.check("#id_plan_youth")
    page.fill("#id_start_date", "2026-08-01")
    page.fill("#id_end_date", "2026-08-02")
    pick_region(page, "sending_region", "xinyuan", "654025")
    page.locator(f"#id_sending_unit option[value='{world['xy_school'].pk}']").wait_for(state="attached")
    page.select_option("#id_sending_unit", str(world["xy_school"].pk))
    pick_region(page, "receiving_region", "yangzhou", "3210")
    page.select_option("#id_rows-0-category", "student")
    page.select_option("#id_rows-0-ethnic_group", "17")
    page.select_option("#id_rows-0-age_band", "u18")
    page.fill("#id_rows-0-count", "12")
    page.click("[data-add-row=participation]")
    page.select_option("#id_rows-3-category", "teacher")
    page.select_option("#id_rows-3-ethnic_group", "01")
    page.select_option("#id_rows-3-age_band", "o35")
    page.fill("#id_rows-3-count", "2")

    # 28 idle minutes: two minutes before the end a dialog offers to stay signed in.
    page.clock.fast_forward("27:50")
    dialog = page.get_by_role("dialog", name="您还在吗？")
    expect(dialog).to_be_hidden()
    page.clock.fast_forward("00:11")
    expect(dialog).to_be_visible()
    stay = page.get_by_role("button", name="继续保持登录")
    expect(stay).to_be_focused()
    expect(dialog).to_contain_text("1:5")  # the countdown
    a11y.check(page, force=True)  # the dialog passes axe
    shot(page, "61-session-warning")
    with page.expect_response("**/session/keep-alive/") as kept:
        stay.click()
    assert kept.value.status == 200
    expect(dialog).to_be_hidden()
    page.clock.fast_forward("27:00")
    expect(dialog).to_be_hidden()  # the keep-alive started the 30 minutes again

    # The session ends (on the server, and 30 idle minutes on the page's clock): the form is not lost.
    Session.objects.all().delete()
    page.clock.fast_forward("03:01")
    ended = page.get_by_role("dialog", name="您已退出登录")
    expect(ended).to_be_visible()
    shot(page, "62-session-ended")
    page.get_by_role("button", name="留在本页").click()
    page.click("button[name=action][value=submit]")
    page.wait_for_url(re.compile(r".*/accounts/login/.*"))
    expect(page.get_by_test_id("kept-form-login")).to_be_visible()
    from conftest import PASSWORD

    page.fill("#id_username", "xinyuan")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{url}/exchanges/new/")
    expect(page.get_by_test_id("kept-form-restored")).to_be_focused()
    assert page.input_value("#id_title") == "超时后仍保留的活动"
    assert page.is_checked("#id_plan_youth")
    assert page.input_value("#id_start_date") == "2026-08-01"
    assert page.locator("input[name=sending_region]").input_value() == "654025"
    assert page.input_value("#id_sending_region") == "伊犁哈萨克自治州 新源县"
    expect(page.locator("#id_sending_unit")).to_have_value(
        str(world["xy_school"].pk)
    )  # after its units reload
    assert page.input_value("#id_rows-0-count") == "12"
    assert page.input_value("#id_rows-3-category") == "teacher"  # a row added in the browser comes back too
    assert page.input_value("#id_rows-3-count") == "2"
    shot(page, "63-kept-form-restored")
    page.click("button[name=action][value=submit]")
    page.get_by_test_id("activity-status").wait_for()
    assert page.get_by_test_id("activity-total").inner_text() == "14"
    context.close()


def test_senior_mode_for_a_resident_and_for_staff(browser, world, shot):
    from conftest import PASSWORD, make_user
    from shiliu.accounts.models import User

    make_user("resident", "resident", "654025100")
    url = world["url"]
    for width, name in ((1440, "desktop"), (390, "phone")):
        context = browser.new_context(
            locale="zh-CN", viewport={"width": width, "height": 900}, is_mobile=width < 500
        )
        page = context.new_page()
        log_in(page, url, "resident")
        switch = page.get_by_test_id("senior-switch")
        if width == 1440:
            expect(switch).to_have_attribute("aria-pressed", "false")
            expect(page.get_by_test_id("senior-invitation")).to_be_visible()
            small = page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
            switch.click()
            expect(page.locator("html")).to_have_class("senior-mode")
            assert User.objects.get(username="resident").senior_mode
        page.get_by_test_id("main-tasks").wait_for()
        expect(page.get_by_test_id("senior-switch")).to_have_attribute("aria-pressed", "true")
        size = page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
        assert size >= 20
        if width == 1440:
            assert size >= small * 1.2
        tasks = page.get_by_test_id("main-tasks")
        expect(tasks.get_by_role("link", name="我的首页")).to_have_attribute("aria-current", "page")
        expect(tasks.get_by_role("link", name="我的消息")).to_be_visible()
        button = tasks.get_by_role("link", name="我的消息").bounding_box()
        assert button["height"] >= 44 and button["width"] >= 44  # large targets (WCAG 2.5.5, MIIT)
        colours = page.evaluate(
            "() => [getComputedStyle(document.body).color, getComputedStyle(document.body).backgroundColor]"
        )
        assert page.evaluate(CONTRAST, colours) >= 7  # high contrast: beyond AA
        shot(page, f"50-senior-mode-resident-{name}")
        context.close()

    # Staff: the chart keeps its table; the full menu waits behind one button.
    User.objects.filter(username="yangzhou").update(senior_mode=True)
    context = browser.new_context(locale="zh-CN", viewport={"width": 1440, "height": 900})
    page = context.new_page()
    log_in(page, url, "yangzhou")
    expect(page.get_by_test_id("main-tasks").get_by_role("link", name="登记交流活动")).to_be_visible()
    expect(page.get_by_test_id("kind-table")).to_contain_text("学校")
    menu = page.get_by_role("button", name="全部功能")
    expect(menu).to_have_attribute("aria-expanded", "false")
    menu.click()
    expect(page.get_by_role("navigation", name="主导航").get_by_role("link", name="结对协作")).to_be_visible()
    page.wait_for_timeout(400)  # the menu's short slide
    shot(page, "51-senior-mode-staff")
    page.goto(f"{url}/exchanges/tours/flows/")
    shot(page, "52-senior-mode-flows")
    context.close()

    # Anonymous: the switch on the login page is kept in a cookie and taken into the account.
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(f"{url}/accounts/login/")
    page.get_by_test_id("senior-switch").click()
    expect(page.locator("html")).to_have_class("senior-mode")
    shot(page, "53-senior-mode-login-phone")
    page.fill("#id_username", "xinyuan")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{url}/")
    expect(page.locator("html")).to_have_class("senior-mode")
    assert User.objects.get(username="xinyuan").senior_mode
    context.close()


def _type_and_lose_the_session(page: Any, url: str) -> None:
    from django.contrib.sessions.models import Session

    page.goto(f"{url}/exchanges/new/")
    page.fill("#id_title", "只给本人看的标题")
    page.fill("#id_summary", "联系人 张三 13800001111")
    Session.objects.all().delete()  # the session ends (the idle timeout, or logging out elsewhere)
    page.click("button[name=action][value=submit]")
    page.wait_for_url(re.compile(r".*/accounts/login/.*"))
    expect(page.get_by_test_id("kept-form-login")).to_be_visible()


def test_a_kept_form_is_filled_in_again_only_for_the_person_who_typed_it(browser, world):
    from conftest import PASSWORD

    url = world["url"]
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    log_in(page, url, "xinyuan")
    _type_and_lose_the_session(page, url)
    # Someone else logs in at the same tab: they must not see what xinyuan typed.
    page.fill("#id_username", "yangzhou")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/exchanges/new/$"))
    expect(page.get_by_test_id("kept-form-restored")).to_have_count(0)
    assert page.input_value("#id_title") == ""
    assert page.input_value("#id_summary") == ""
    assert page.evaluate("sessionStorage.getItem('shiliu.keptForm')") is None
    context.close()


def test_a_form_sent_from_an_out_of_date_page_is_kept_and_said_so(browser, world):
    """Logging in again in another tab changes the security token: the old tab's form gets the app's page in
    Chinese (never Django's bare one about DEBUG), and going back fills the form in again."""
    url = world["url"]
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, url, "xinyuan")
    page.goto(f"{url}/exchanges/new/")
    page.fill("#id_title", "过期页面上填写的标题")
    from django.contrib.sessions.models import Session

    Session.objects.all().delete()  # the session ended; the person logs in again in another tab: a new CSRF token
    other = context.new_page()
    log_in(other, url, "xinyuan")
    other.close()
    page.click("button[name=action][value=submit]")
    expect(page.get_by_role("heading", name="页面已过期")).to_be_visible()
    assert "DEBUG" not in page.content()
    page.click("[data-kept-back]")
    page.wait_for_url(re.compile(r".*/exchanges/new/$"))
    expect(page.get_by_test_id("kept-form-restored")).to_be_visible()
    assert page.input_value("#id_title") == "过期页面上填写的标题"
    context.close()
