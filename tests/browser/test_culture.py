"""The culture library in Chromium: 新源 staff search by pinyin and by a Chinese word, open an item and a lecture's
replay page and read the year's lecture reach (1440 px); an anonymous visitor reads the public gallery, an item and
the map on a phone (390 px) without logging in, and never sees a draft or an internal note."""

import datetime as dt

from shiliu.culture import lectures, services
from shiliu.lib import clock
from shiliu.regions.models import EthnicGroup, Region
from tests.browser.conftest import log_in


def _library(world):
    xinyuan = world["xinyuan"]
    region = Region.objects.get(code="654025")
    items = {}
    for title, category, visibility, note in [
        ("哈萨克族阿依特斯", "quyi", "public", ""),
        ("哈萨克族冬不拉艺术", "music", "public", ""),
        ("哈萨克族黑走马", "dance", "draft", "内部备注不公开"),
    ]:
        items[title] = services.item_save(
            actor=xinyuan,
            data={
                "kind": "heritage",
                "title": title,
                "category": category,
                "level": "national",
                "region": region,
                "licence": "cc-by-nc-4.0",
                "credit": "新源县文化馆",
                "visibility": visibility,
                "internal_note": note,
                "summary": "哈萨克族民间艺术",
            },
            ethnic_groups=EthnicGroup.objects.filter(code="17"),
        )
    services.media_add(
        actor=xinyuan,
        item=items["哈萨克族冬不拉艺术"],
        kind="video",
        url="https://media.example.cn/dombra",
        caption="演奏录像",
    )
    series = lectures.series_save(actor=xinyuan, data={"title": "视频大宣讲（每周）", "region": region})
    year = clock.today().year
    for week in range(3):
        lectures.lecture_save(
            actor=xinyuan,
            series=series,
            data={
                "topic": f"第{week + 1}期：铸牢中华民族共同体意识",
                "speaker": "新源县宣讲团",
                "held_on": dt.date(year, 1, 5 + 7 * week),
                "region": region,
                "venue": "新源镇文化站",
                "replay_url": f"https://replay.example.cn/{week}",
                "attendance": 100,
                "views": 1000,
                "plan": "",
            },
        )
    return items, year


def test_staff_search_open_an_item_a_replay_and_the_lecture_reach(browser, world, shot):
    _items, year = _library(world)
    url = world["url"]
    context = browser.new_context(locale="zh-CN", viewport={"width": 1440, "height": 900})
    page = context.new_page()
    log_in(page, url, "xinyuan")
    page.goto(f"{url}/culture/")
    page.fill("#id_q", "ayitesi")  # pinyin
    page.get_by_test_id("search").click()
    page.get_by_test_id("items").get_by_role("link", name="哈萨克族阿依特斯").wait_for()
    assert "冬不拉" not in page.get_by_test_id("items").inner_text()
    page.fill("#id_q", "冬不拉")  # a Chinese word
    page.get_by_test_id("search").click()
    page.get_by_test_id("items").get_by_role("link", name="哈萨克族冬不拉艺术").click()
    page.get_by_test_id("media").wait_for()
    assert (
        page.get_by_role("link", name="视频链接").get_attribute("href") == "https://media.example.cn/dombra"
    )
    shot(page, "90-culture-item-1440")
    page.goto(f"{url}/culture/lectures/")
    page.get_by_role("link", name="第2期：铸牢中华民族共同体意识").click()
    replay = page.get_by_test_id("replay").get_by_role("link")
    assert replay.get_attribute("href") == "https://replay.example.cn/1"
    assert "noopener" in replay.get_attribute("rel")
    shot(page, "91-culture-replay-1440")
    page.goto(f"{url}/culture/lectures/reach/?year={year}")
    assert "3 场次，3300 人次" in page.get_by_test_id("reach-total").inner_text()
    shot(page, "92-culture-reach-1440")
    context.close()


def test_anyone_reads_the_public_gallery_on_a_phone_without_login(browser, world, shot):
    items, _year = _library(world)
    url = world["url"]
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{url}/culture/public/")
    gallery = page.get_by_test_id("gallery")
    gallery.get_by_role("link", name="哈萨克族阿依特斯").wait_for()
    assert "黑走马" not in page.content()
    shot(page, "93-culture-gallery-390")
    gallery.get_by_role("link", name="哈萨克族冬不拉艺术").click()
    page.get_by_test_id("licence").wait_for()
    assert "内部" not in page.get_by_role("main").inner_text()
    page.goto(f"{url}/culture/public/map/")
    page.get_by_test_id("map-table").get_by_role("link", name="伊犁哈萨克自治州").wait_for()
    shot(page, "94-culture-map-390")
    draft = page.goto(f"{url}/culture/public/items/{items['哈萨克族黑走马'].pk}/")
    assert draft.status == 404
    context.close()
