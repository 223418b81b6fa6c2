from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from shiliu.accounts.models import User
from shiliu.orgs.models import Organization


@pytest.mark.django_db
def test_the_ui_is_chinese_by_default_and_switches_to_english_and_back(client, login, yangzhou):
    login(yangzhou)
    assert "一屏全览" in client.get("/").content.decode()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/units/"})
    assert response.status_code == 302
    page = client.get("/units/").content.decode()
    assert "Units" in page and "Export to Excel" in page and "导出" not in page
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "导出 Excel" in client.get("/units/").content.decode()


@pytest.mark.django_db
def test_the_header_shows_the_jurisdiction_and_hides_unbuilt_modules(client, login, xinyuan, admin_user):
    login(xinyuan)
    page = client.get("/").content.decode()
    assert "新疆维吾尔自治区 伊犁哈萨克自治州 新源县" in page
    assert 'href="/units/"' in page
    nav = page[page.index("<nav") : page.index("</nav>")]
    assert "结对协作" in nav  # built
    assert "交流活动" in nav
    assert "指标评价" in nav and "报表" in nav  # installed modules are shown
    assert "审计日志" not in page
    login(admin_user)
    page = client.get("/").content.decode()
    assert "全国" in page and "审计日志" in page


@pytest.mark.django_db
def test_the_dashboard_counts_only_units_in_scope(client, login, yangzhou, yz_school, xy_school):
    login(yangzhou)
    page = client.get("/").content.decode()
    assert '"values": [1]' in page


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get("/units/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_unknown_pages_get_a_chinese_404(client, login, yangzhou, settings):
    settings.DEBUG = False
    login(yangzhou)
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and "不在您的辖区内" in response.content.decode()


@pytest.mark.django_db
def test_the_demo_builds_every_pairing_side_with_logins_and_is_repeatable(settings):
    # Built twice, as a second `make demo` does: the second run also had crashed with ProtectedError when a user's
    # activity held on to a demo pairing. (Two builds, not four: the demo is thousands of activities.)
    from shiliu.exchanges.models import Activity
    from shiliu.pairings.models import Pairing

    settings.DEBUG = True
    call_command("load_demo", verbosity=0)
    demo_activity = Activity.objects.filter(is_demo=True, pairing__isnull=False).first()
    assert demo_activity is not None
    pairing = demo_activity.pairing
    demo_activity.pk = None
    demo_activity.is_demo = False
    demo_activity.title = "用户登记的活动"
    demo_activity.save()
    assert Activity.objects.filter(pairing=pairing, is_demo=False).exists()
    from shiliu.runtime.models import CalendarYear

    years = list(CalendarYear.objects.values_list("year", flat=True))
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "reset" in out.getvalue()
    # The official calendar (it names users, which the reset removes) is kept, on PostgreSQL's TRUNCATE too.
    assert years and list(CalendarYear.objects.values_list("year", flat=True)) == years
    assert not Activity.objects.filter(title="用户登记的活动").exists()
    assert Pairing.objects.filter(is_demo=True).exists()
    expected = {
        "admin",
        "yangzhou",
        "xinyuan",
        "xinyuan-school",
        "fuzhou",
        "changdu",
        "xiamen",
        "changji",
        "dingxi",
        "nanning",
        "chongzuo",
        "hunan",
        "turpan",
        "chengdu",
        "aba",
        "ganzi",
        "liangshan",
        "resident",
    }
    assert expected <= set(User.objects.filter(is_demo=True).values_list("username", flat=True))
    coordinator = User.objects.get(username="xinyuan-school")
    assert (
        coordinator.organization.region_id.startswith("654025") and coordinator.organization.kind == "school"
    )
    assert User.objects.get(username="yangzhou").check_password(settings.SHILIU_DEMO_PASSWORD)
    kinds = set(Organization.objects.filter(region__code__startswith="654025").values_list("kind", flat=True))
    assert {
        "commission",
        "agency",
        "school",
        "hospital",
        "community",
        "village",
        "enterprise",
        "tourism",
        "social_org",
        "aid_command",
    } <= kinds
    names = Organization.objects.filter(region__code__startswith="654025100", kind="community").values_list(
        "name", flat=True
    )
    assert any("社区" in n for n in names)  # real community names from the division data
    assert Organization.objects.filter(is_demo=False).count() == 0
    unique = Organization.objects.values("region", "name").distinct().count()
    assert unique == Organization.objects.count()


@pytest.mark.django_db
def test_the_demo_is_never_built_in_production(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="never created in a production"):
        call_command("load_demo", verbosity=0)


@pytest.mark.django_db
def test_an_english_browser_still_gets_chinese_until_the_user_switches(client, login, yangzhou):
    login(yangzhou)
    page = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"}).content.decode()
    assert "一屏全览" in page and 'lang="zh-hans"' in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Dashboard" in client.get("/", headers={"Accept-Language": "zh-CN"}).content.decode()
