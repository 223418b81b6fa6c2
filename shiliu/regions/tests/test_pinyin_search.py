import pytest

from shiliu.regions.pinyin import place_pinyin
from shiliu.regions.selectors import region_search


@pytest.mark.parametrize(
    ("name", "full", "initials"),
    [
        ("长寿区", "changshouqu", "csq"),
        ("厦门市", "xiamenshi", "xms"),
        ("重庆市", "chongqingshi", "cqs"),
        ("六安市", "luanshi", "las"),
        ("蚌埠市", "bengbushi", "bbs"),
        ("新源县", "xinyuanxian", "xyx"),
        ("莘县", "xinxian", "xx"),
        ("洪洞县", "hongtongxian", "htx"),
    ],
)
def test_it_reads_polyphonic_place_names_as_places(name, full, initials):
    assert place_pinyin(name) == (full, initials)


def test_it_does_not_read_a_joined_name_as_a_phrase():
    # Converting 重庆市长寿区 as one string would give "zhang shou" (市长 = mayor); names are converted alone.
    assert place_pinyin("长寿区")[0].startswith("chang")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("changshou", "500115"),
        ("xiamen", "3502"),
        ("chongqing", "50"),
        ("luan", "3415"),
        ("bengbu", "3403"),
        ("xinyuan", "654025"),
        ("xyx", "654025"),
        ("新源", "654025"),
        ("Xin Yuan", "654025"),
        ("654025", "654025"),
    ],
)
def test_the_picker_finds_places_by_pinyin_initials_hanzi_or_code(query, code):
    assert code in [r.code for r in region_search(query=query, limit=20)]


@pytest.mark.django_db
def test_higher_levels_come_first_and_level_filters():
    results = list(region_search(query="xinyuan", limit=20))
    levels = [r.level for r in results]
    assert levels == sorted(levels, key=["province", "prefecture", "county", "township", "village"].index)
    townships = region_search(query="nalati", level="township")
    assert [r.code for r in townships] == ["654025104"]


@pytest.mark.django_db
def test_empty_or_junk_queries_find_nothing():
    assert list(region_search(query="   ")) == []
    assert list(region_search(query="'-")) == []


@pytest.mark.django_db
def test_the_regions_api_returns_the_contract_fields(client, yangzhou, login):
    login(yangzhou)
    body = client.get("/api/regions", {"q": "xinyuan", "level": "county"}).json()
    assert body["count"] >= 1
    item = next(i for i in body["items"] if i["code"] == "654025")
    assert item == {
        "code": "654025",
        "name": "新源县",
        "level": "county",
        "parent_code": "6540",
        "parent_name": "伊犁哈萨克自治州",
        "is_dev_zone": False,
    }
    assert client.get("/api/regions", {"level": "planet"}).status_code == 422


@pytest.mark.django_db
def test_the_regions_api_needs_a_login_or_token(client):
    response = client.get("/api/regions", {"q": "xinyuan"})
    assert response.status_code == 401
    assert "身份认证" in response.json()["detail"]


@pytest.mark.django_db
def test_the_regions_api_counts_every_match_not_only_the_first_page(client, yangzhou, login):
    from shiliu.regions.models import Region

    login(yangzhou)
    matches = Region.objects.filter(name__contains="镇", valid_to__isnull=True).count()
    assert matches > 200  # the test data holds more towns than one search used to return
    body = client.get("/api/regions", {"q": "镇", "limit": 5, "offset": 210}).json()
    assert body["count"] == matches
    assert len(body["items"]) == 5
