"""A real commission starts on Shiliu in an afternoon (issue 19), from an empty, production-configured database:
first run, 新源县's commission created by the platform administrator, its staff member accepts the invitation and
sets up TOTP, imports 200 units from Excel, invites three coordinators, one accepts and sees only their unit's work.
"""

from __future__ import annotations

import io
import re
from typing import Any

from django.core.management import call_command
from openpyxl import Workbook
from playwright.sync_api import expect

from shiliu.lib import messaging

ADMIN_PASSWORD = "first-run-admin-2026"  # noqa: S105
STAFF_PASSWORD = "xinyuan-commission-2026"  # noqa: S105
COORDINATOR_PASSWORD = "xinyuan-school-2026"  # noqa: S105


def _link(message: messaging.Message) -> str:
    match = re.search(r"https?://\S+/accounts/invitation/[^/\s]+/", message.body)
    assert match, message.body
    return match.group(0)


def _units_workbook() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "单位名录"
    ws.append(["名称", "类型", "区划代码", "所在地区", "上级单位", "地址", "联系人", "联系电话"])
    ws.append(["新源县教育局", "机关", "654025", "", "", "新源镇", "", ""])
    for i in range(1, 200):
        kind = "学校" if i % 3 else "社区"
        ws.append(
            [f"新源县第{i}号{kind}", kind, "", "新源县", "新源县教育局" if kind == "学校" else "", "", "", ""]
        )
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _log_in(page: Any, url: str, username: str, password: str) -> None:
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")


def test_a_commission_starts_from_an_empty_database(
    browser, transactional_db, live_server, settings, monkeypatch, shot, tmp_path
):
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from shiliu.accounts.models import Invitation, User
    from shiliu.orgs.models import Organization

    settings.DEBUG = False
    settings.SHILIU_MESSAGE_BACKEND = "shiliu.lib.messaging.LocmemBackend"
    messaging.outbox.clear()
    url = live_server.url
    # 1. First run (the test database is migrated already; the divisions are limited to 伊犁州 to keep it quick).
    assert not User.objects.exists()
    monkeypatch.setenv("SHILIU_ADMIN_PASSWORD", ADMIN_PASSWORD)
    out = io.StringIO()
    call_command("setup", "--no-input", "--skip-migrate", "--only", "6540", "--username", "admin", stdout=out)
    assert "Set-up complete" in out.getvalue()

    # 2. The platform administrator creates 新源县's commission and invites its first staff member.
    admin = browser.new_context(locale="zh-CN", viewport={"width": 1440, "height": 900})
    page = admin.new_page()
    _log_in(page, url, "admin", ADMIN_PASSWORD)
    page.get_by_role("link", name="账户", exact=True).click()
    page.get_by_role("link", name="邀请").first.click()
    page.get_by_role("link", name="新增民宗委").click()
    page.fill("#id_region", "xinyuan")
    page.locator('#id_region_listbox [role=option][data-code="654025"]').click()
    page.fill("#id_display_name", "李明")
    page.fill("#id_address", "liming@xinyuan.gov.cn")
    page.get_by_role("button", name="创建并发送邀请").click()
    expect(page.get_by_test_id("invitation-liming@xinyuan.gov.cn")).to_contain_text("待接受")
    shot(page, "60-commission-invited")
    admin.close()
    assert Organization.objects.filter(region_id="654025", kind="commission").count() == 1

    # 3. The staff member accepts the invitation, sets a password and a second factor.
    staff = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = staff.new_page()
    page.goto(_link(messaging.outbox[-1]))
    expect(page.get_by_test_id("invited-login")).to_have_text("liming@xinyuan.gov.cn")
    page.fill("#id_password1", STAFF_PASSWORD)
    page.fill("#id_password2", STAFF_PASSWORD)
    page.get_by_role("button", name="创建我的账户").click()
    expect(page.get_by_role("heading", name="设置两步验证")).to_be_visible()
    device = TOTPDevice.objects.get(user__username="liming@xinyuan.gov.cn", confirmed=False)
    page.fill("#id_token", f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}")
    page.get_by_role("button", name="开启").click()
    page.wait_for_url(f"{url}/")
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    shot(page, "61-staff-with-totp-390")
    page.set_viewport_size({"width": 1440, "height": 900})

    # 4. It imports its 200 units from Excel.
    path = tmp_path / "新源县单位名录.xlsx"
    path.write_bytes(_units_workbook())
    page.goto(f"{url}/units/")
    page.get_by_test_id("import-units").click()
    page.set_input_files("#id_file", str(path))
    page.get_by_role("button", name="上传并检查").click()
    expect(page.get_by_test_id("import-done")).to_contain_text("200 个单位已导入")
    assert Organization.objects.filter(region__code__startswith="654025").count() == 201
    shot(page, "62-units-imported")

    # 5. It invites three coordinators from a list.
    page.goto(f"{url}/accounts/invitations/")
    page.get_by_test_id("invite-coordinators").click()
    page.fill(
        "#id_lines",
        "新源县第1号学校，张老师，13800000001\n新源县第2号学校，王老师，wang@example.cn\n新源县第3号社区，赵书记，13800000003",
    )
    page.get_by_role("button", name="发送邀请").click()
    expect(page.locator("[data-testid^=invitation-] [data-testid=status]", has_text="待接受")).to_have_count(
        3
    )
    shot(page, "63-coordinators-invited")
    links = {m.to: _link(m) for m in messaging.outbox}
    assert {"13800000001", "wang@example.cn", "13800000003"} <= set(links)
    assert [m.channel for m in messaging.outbox[-3:]] == ["sms", "email", "sms"]
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    shot(page, "64-invitations-390")

    # 6. One coordinator accepts and sees only their unit's work.
    coordinator = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    cpage = coordinator.new_page()
    cpage.goto(links["wang@example.cn"])
    cpage.fill("#id_password1", COORDINATOR_PASSWORD)
    cpage.fill("#id_password2", COORDINATOR_PASSWORD)
    cpage.get_by_role("button", name="创建我的账户").click()
    cpage.wait_for_url(f"{url}/")
    own = Organization.objects.get(name="新源县第2号学校")
    other = Organization.objects.get(name="新源县第1号学校")
    user = User.objects.get(username="wang@example.cn")
    assert user.role == "unit_coordinator" and user.organization == own
    cpage.goto(f"{url}/units/{own.pk}/")
    expect(cpage.get_by_role("link", name="编辑")).to_be_visible()
    cpage.goto(f"{url}/units/{other.pk}/")
    expect(cpage.get_by_role("link", name="编辑")).to_have_count(0)
    assert cpage.goto(f"{url}/units/{other.pk}/edit/").status == 403
    assert cpage.goto(f"{url}/accounts/people/").status == 403
    shot(cpage, "65-coordinator-390")
    coordinator.close()

    # The staff member sees who accepted.
    page.goto(f"{url}/accounts/invitations/?status=accepted")
    expect(page.get_by_test_id("invitation-wang@example.cn")).to_contain_text("已接受")
    # … and manages the account: the people page and the account's page (role, unit, second factor, successor).
    page.get_by_role("link", name="账户", exact=True).click()
    page.get_by_role("link", name="王老师").click()
    expect(page.get_by_role("heading", name="将单位移交给接任者")).to_be_visible()
    shot(page, "66-account-page")
    staff.close()
    assert Invitation.objects.filter(accepted_at__isnull=False).count() == 2

    # The same link a second time: a clear message, nothing made.
    again = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    apage = again.new_page()
    assert apage.goto(links["wang@example.cn"]).status == 410
    expect(apage.get_by_test_id("invitation-invalid")).to_contain_text("此邀请已被使用")
    again.close()
    assert User.objects.filter(username="wang@example.cn").count() == 1
