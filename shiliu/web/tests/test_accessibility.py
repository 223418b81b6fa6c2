"""What the shell and the shared form rendering give every page (WCAG 2.1 AA / GB/T 37668-2019).

The browser tests run axe-core on every page they visit; these check, without a browser, the parts axe cannot:
that error messages are tied to their fields and listed with links, that every control has a label, and the
shell's skip link, current-page marks and language marks.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from shiliu.accounts.models import User


class Page(HTMLParser):
    """The ids, labels, links and form controls of a page."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.described: list[tuple[str, str]] = []  # (control id, id it points at)
        self.label_for: set[str] = set()
        self.controls: list[dict[str, str]] = []
        self.links: list[dict[str, str]] = []
        self.in_template = 0
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "template":
            self.in_template += 1
        if self.in_template:
            return
        if a.get("id"):
            self.ids.add(a["id"])
        for target in a.get("aria-describedby", "").split():
            self.described.append((a.get("id", tag), target))
        if tag == "label" and a.get("for"):
            self.label_for.add(a["for"])
        if tag in ("input", "select", "textarea") and a.get("type") not in ("hidden", "submit", "button"):
            self.controls.append(a)
        if tag == "a":
            self.links.append(a)

    def handle_endtag(self, tag: str) -> None:
        if tag == "template":
            self.in_template -= 1


FORMS = [
    "/exchanges/new/",
    "/pairings/new/",
    "/units/new/",
    "/exchanges/menu/offers/new/",
    "/exchanges/menu/packages/new/",
    "/exchanges/routes/new/",
    "/exchanges/tours/new/",
    "/exchanges/online/new/",
    "/exchanges/penpals/new/",
    "/exchanges/import/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", FORMS)
def test_a_form_sent_back_with_errors_lists_them_and_ties_each_to_its_field(client, login, yangzhou, url):
    login(yangzhou)
    response = client.post(url, {"sent": "1"})  # a non-empty body: views bind forms to request.POST or None
    assert response.status_code in (200, 400), response.status_code
    html = response.content.decode()
    page = Page(html)
    # aria-describedby never points at an id the page lacks (Django adds {id}_error; templates dropped it)
    assert page.described, "no field is described by its error"
    missing = [(control, target) for control, target in page.described if target not in page.ids]
    assert missing == []
    # the summary lists the errors, each a link to its field, and takes the focus (tabindex -1, app.js)
    assert "data-error-summary" in html and 'tabindex="-1"' in html
    summary = html[html.index("data-error-summary") : html.index("</ul>", html.index("data-error-summary"))]
    summary_links = re.findall(r'href="([^"]*)"', summary)
    assert summary_links, "the error summary links to no field"
    # a link to "#" (a group of boxes has no id_for_label) led nowhere: each names an element of the page
    assert [target for target in summary_links if target[1:] not in page.ids] == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", [*FORMS, "/units/", "/pairings/", "/exchanges/", "/exchanges/menu/", "/exchanges/routes/"]
)
def test_every_control_has_a_label(client, login, yangzhou, url):
    login(yangzhou)
    page = Page(client.get(url).content.decode())
    unlabelled = [
        c.get("name") or c.get("id")
        for c in page.controls
        if c.get("id") not in page.label_for and not c.get("aria-label") and not c.get("aria-labelledby")
    ]
    assert unlabelled == []


@pytest.mark.django_db
def test_the_participant_rows_label_each_control_with_its_row(client, login, yangzhou):
    login(yangzhou)
    html = client.get("/exchanges/new/").content.decode()
    assert '<label class="visually-hidden" for="id_rows-0-category">人员类别（第 1 行）</label>' in html
    assert '<label class="visually-hidden" for="id_rows-2-count">人次（第 3 行）</label>' in html
    # the row added in the browser is numbered by formset.js
    assert 'for="id_rows-__prefix__-ethnic_group">民族（第 __row__ 行）</label>' in html


@pytest.mark.django_db
def test_the_shell_offers_a_skip_link_marks_the_current_page_and_the_english_switch(client, login, yangzhou):
    login(yangzhou)
    html = client.get("/pairings/").content.decode()
    body = html[html.index("<body") :]
    first_link = body[body.index("<a") : body.index("</a>")]
    assert 'href="#main"' in first_link and "跳到主要内容" in first_link
    assert '<main id="main" tabindex="-1"' in html
    nav = html[html.index('<nav aria-label="主导航"') :]
    nav = nav[: nav.index("</nav>")]
    current = nav[nav.index('aria-current="page"') - 120 : nav.index('aria-current="page"') + 60]
    assert 'href="/pairings/"' in current
    assert nav.count("aria-current") == 1
    assert (
        'lang="en"'
        in html[html.index('data-testid="lang-switch"') - 200 : html.index('data-testid="lang-switch"')]
    )


@pytest.mark.django_db
def test_the_bells_name_holds_its_visible_count(client, login, yangzhou):
    from shiliu.notifications.services import notify

    notify(recipients=[yangzhou], text="新的结对提议", key="test-bell")
    login(yangzhou)
    html = client.get("/").content.decode()
    bell = html[html.index('data-testid="notifications"') :]
    bell = bell[: bell.index("</a>")]
    assert "aria-label" not in bell  # an aria-label hid the count from speech and voice control
    assert '<span class="visually-hidden">消息提醒</span>' in bell
    assert 'data-testid="unread-count">1</span>' in bell and "条未读" in bell


@pytest.mark.django_db
def test_the_dashboard_chart_has_its_figures_as_a_table(client, login, yangzhou, yz_school):
    login(yangzhou)
    html = client.get("/").content.decode()
    table = html[html.index('data-testid="kind-table"') :]
    table = table[: table.index("</table>")]
    assert '<th scope="col">类型</th>' in table and "学校" in table and '<td class="text-end">1</td>' in table


# Staying signed in ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_staying_signed_in_renews_the_idle_timeout(client, login, yangzhou, settings):
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    login(yangzhou)
    client.get("/")
    key = client.session.session_key
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + timezone.timedelta(seconds=60))
    response = client.post("/session/keep-alive/")
    assert response.status_code == 200
    assert response.json() == {"signed_in": True, "idle_seconds": settings.SESSION_COOKIE_AGE}
    left = Session.objects.get(pk=key).expire_date - timezone.now()
    assert left.total_seconds() > settings.SESSION_COOKIE_AGE - 30


@pytest.mark.django_db
def test_staying_signed_in_says_so_when_the_session_has_ended(client):
    response = client.post("/session/keep-alive/")
    assert response.status_code == 401 and response.json() == {"signed_in": False}
    assert client.get("/session/keep-alive/").status_code == 405


@pytest.mark.django_db
def test_pages_tell_the_browser_when_to_warn_about_the_timeout(client, login, yangzhou, settings):
    settings.SESSION_COOKIE_AGE = 30 * 60
    login(yangzhou)
    html = client.get("/").content.decode()
    assert 'data-session-idle="1800"' in html and 'data-session-warn="120"' in html
    assert 'id="session-dialog"' in html and "继续保持登录" in html
    anonymous = client.__class__().get("/accounts/login/").content.decode()
    assert "data-session-idle" not in anonymous and "data-login-form" in anonymous


@pytest.mark.django_db
def test_a_form_sent_after_the_timeout_goes_to_the_login_page_with_the_way_back(client, yangzhou):
    # Not logged in any more: the POST is answered with the login page, whose "next" leads back to the form.
    # (The browser keeps the typed values meanwhile: tests/browser/test_accessibility.py.)
    response = client.post("/exchanges/new/", {"title": "新源县青少年赴扬州研学"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/exchanges/new/"


# Senior mode (长辈模式) ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_header_switch_turns_senior_mode_on_for_the_account(client, login, resident):
    login(resident)
    page = client.get("/").content.decode()
    assert '<html lang="zh-hans">' in page and 'aria-pressed="false"' in page
    response = client.post("/display-mode/", {"senior": "1", "next": "/notifications/"})
    assert response.status_code == 302 and response["Location"] == "/notifications/"
    assert User.objects.get(pk=resident.pk).senior_mode is True
    page = client.get("/").content.decode()
    assert '<html lang="zh-hans" class="senior-mode">' in page and 'aria-pressed="true"' in page
    # the simplified navigation: the resident's few main tasks first
    tasks = page[page.index('data-testid="main-tasks"') :]
    tasks = tasks[: tasks.index("</nav>")]
    assert "我的首页" in tasks and "我的消息" in tasks and "显示设置" in tasks
    client.post("/display-mode/", {"senior": "0", "next": "/"})
    assert User.objects.get(pk=resident.pk).senior_mode is False


@pytest.mark.django_db
def test_switching_senior_mode_does_not_fill_the_audit_log(client, login, resident):
    from auditlog.models import LogEntry

    login(resident)
    before = LogEntry.objects.count()
    client.post("/display-mode/", {"senior": "1", "next": "/"})
    client.post("/display-mode/", {"senior": "0", "next": "/"})
    assert LogEntry.objects.count() == before


@pytest.mark.django_db
def test_senior_mode_is_remembered_on_the_account_not_the_device(client, login, resident):
    User.objects.filter(pk=resident.pk).update(senior_mode=True)
    login(resident)
    assert 'class="senior-mode"' in client.get("/").content.decode()


@pytest.mark.django_db
def test_an_anonymous_visitor_keeps_senior_mode_in_a_cookie_and_takes_it_into_the_account(client, resident):
    from conftest import PASSWORD

    response = client.post("/display-mode/", {"senior": "1", "next": "/accounts/login/"})
    assert response.cookies["shiliu_senior"].value == "1"
    assert 'class="senior-mode"' in client.get("/accounts/login/").content.decode()
    client.post("/accounts/login/", {"username": resident.username, "password": PASSWORD})
    assert User.objects.get(pk=resident.pk).senior_mode is True


@pytest.mark.django_db
def test_the_switch_only_goes_back_to_pages_of_this_site(client):
    response = client.post("/display-mode/", {"senior": "1", "next": "https://example.com/"})
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_a_resident_asks_for_senior_mode_once_on_their_profile(client, login, resident):
    login(resident)
    home = client.get("/").content.decode()
    assert 'data-testid="senior-invitation"' in home and "开启长辈模式" in home
    response = client.post("/preferences/", {"senior_mode": "on"})
    assert response.status_code == 302
    assert User.objects.get(pk=resident.pk).senior_mode is True
    page = client.get("/preferences/").content.decode()
    assert "显示设置已保存" in page and "checked" in page
    assert 'data-testid="senior-invitation"' not in client.get("/").content.decode()


@pytest.mark.django_db
def test_staff_see_their_own_main_tasks_first_in_senior_mode(client, login, yangzhou, xinyuan_coordinator):
    for user, expected, absent in (
        (yangzhou, ["登记交流活动", "未办结的议定事项", "交流活动统计"], "书信手拉手"),
        (xinyuan_coordinator, ["登记交流活动", "预约", "书信手拉手"], "交流活动统计"),
    ):
        User.objects.filter(pk=user.pk).update(senior_mode=True)
        login(user)
        page = client.get("/").content.decode()
        tasks = page[page.index('data-testid="main-tasks"') :]
        tasks = tasks[: tasks.index("</nav>")]
        for title in expected:
            assert title in tasks, (user, title)
        assert absent not in tasks
        assert "navbar-expand-lg" not in page  # the full menu waits behind "全部功能"
        assert "全部功能" in page


@pytest.mark.django_db
def test_a_filter_sent_by_htmx_with_an_error_reloads_the_page_to_show_it(client, login, yangzhou):
    # The unit filter swaps only its results: an error in the form itself would be swapped nowhere.
    login(yangzhou)
    query = "/units/?q=&kind=&region=&region_label=chengdu"
    response = client.get(query, HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Redirect"] == query
    page = client.get(query).content.decode()
    assert "data-error-summary" in page and "“chengdu”不是从建议列表中选择的地区" in page
    assert client.get("/units/?q=育才", HTTP_HX_REQUEST="true").status_code == 200


@pytest.mark.django_db
def test_the_three_plan_boxes_are_one_question_with_a_legend(client, login, yangzhou):
    """Three bare checkboxes said "互嵌式发展" etc. with nothing telling a screen reader they answer one question."""
    login(yangzhou)
    html = client.get("/exchanges/new/").content.decode()
    fieldset = re.search(
        r'<fieldset class="col-12" aria-describedby="plans-help">(.*?)</fieldset>', html, re.S
    )
    assert fieldset and "<legend" in fieldset.group(1) and "三项计划" in fieldset.group(1)
    boxes = re.findall(r'name="(plan_\w+)"', fieldset.group(1))
    assert boxes == ["plan_embedding", "plan_youth", "plan_tourism"]
    assert len(re.findall(r'name="plan_\w+"', html)) == 3  # and none of them twice
