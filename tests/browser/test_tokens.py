"""API tokens on a phone: make one from the account menu, copy it once, see it used, revoke it."""

import urllib.error
import urllib.request

from playwright.sync_api import expect

from tests.browser.conftest import log_in


def status(url, raw):
    """The API's answer to a bare client holding only the token (no browser session)."""
    request = urllib.request.Request(f"{url}/api/me", headers={"Authorization": f"Bearer {raw}"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - the live test server
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_a_user_makes_and_revokes_an_api_token_at_phone_width(page, world, shot):
    url = world["url"]
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, url, "yangzhou")
    page.click("button.navbar-toggler")
    page.click("button.dropdown-toggle")
    page.click("text=API 令牌")
    expect(page.get_by_role("heading", name="API 令牌")).to_be_visible()
    page.fill("#id_name", "月度报表脚本")
    page.click("text=新建令牌")
    raw = page.get_by_test_id("new-token").locator("code").inner_text().strip()
    shot(page, "40-api-token-new-390")
    assert status(url, raw) == 200
    page.goto(f"{url}/accounts/tokens/")
    listing = page.get_by_test_id("token-list").inner_text()
    assert "月度报表脚本" in listing and raw[:8] in listing and raw not in page.content()
    page.get_by_role("button", name="吊销").click()
    expect(page.get_by_role("alert")).to_contain_text("已吊销")
    shot(page, "41-api-token-revoked-390")
    assert status(url, raw) == 401
    assert page.csp_violations == []
    # wide screens show the same page in one line per token
    page.set_viewport_size({"width": 1440, "height": 900})
    shot(page, "42-api-tokens-1440")
