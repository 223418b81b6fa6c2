"""Where regions are on the bundled maps (ECharts 4.9's GeoJSON, copied to var/vendor/maps by ``make assets``).

For internal and demo use only: a map of China shown to the public needs approved map data (审图号); see the
README, "Maps on the dashboard", for plugging it in (the files below are replaced, the names stay)."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from django.conf import settings

# Province code → the file name of its map in map/json/province/ (ECharts 4.9).
PROVINCE_FILES = {
    "11": "beijing", "12": "tianjin", "13": "hebei", "14": "shanxi", "15": "neimenggu", "21": "liaoning",
    "22": "jilin", "23": "heilongjiang", "31": "shanghai", "32": "jiangsu", "33": "zhejiang", "34": "anhui",
    "35": "fujian", "36": "jiangxi", "37": "shandong", "41": "henan", "42": "hubei", "43": "hunan",
    "44": "guangdong", "45": "guangxi", "46": "hainan", "50": "chongqing", "51": "sichuan", "52": "guizhou",
    "53": "yunnan", "54": "xizang", "61": "shanxi1", "62": "gansu", "63": "qinghai", "64": "ningxia",
    "65": "xinjiang", "71": "taiwan", "81": "xianggang", "82": "aomen",
}  # fmt: skip


def _maps_dir() -> Any:
    return settings.VAR_DIR / "vendor" / "maps"


@lru_cache(maxsize=64)
def _load(name: str) -> dict[str, Any]:
    path = _maps_dir() / f"{name}.json"
    if not path.exists():
        return {"features": []}
    with path.open(encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    return data


def map_url(code: str) -> str:
    """The static URL of the map a region's divisions are drawn on ("" when the bundle has none)."""
    if not code:
        return f"{settings.STATIC_URL}vendor/maps/china.json"
    name = PROVINCE_FILES.get(code[:2])
    if name and (_maps_dir() / "province" / f"{name}.json").exists():
        return f"{settings.STATIC_URL}vendor/maps/province/{name}.json"
    return ""


def map_name(code: str) -> str:
    return "china" if not code else f"p{code[:2]}"


def province_feature_names() -> dict[str, str]:
    """Province code → the short name the China map uses (江苏)."""
    return {f["properties"]["id"][:2]: f["properties"]["name"] for f in _load("china")["features"]}


def point(code: str, name_of: dict[str, str]) -> list[float] | None:
    """Longitude and latitude of a region (its prefecture's centre below the prefecture level, its province's
    when the province map lacks it); ``name_of`` gives region names by code."""
    province = code[:2]
    if len(code) >= 4:
        file = PROVINCE_FILES.get(province)
        if file:
            features = _load(f"province/{file}")["features"]
            wanted = name_of.get(code[:4], "")
            for f in features:
                if wanted and f["properties"]["name"] == wanted:
                    cp: list[float] = f["properties"]["cp"]
                    return cp
    for f in _load("china")["features"]:
        if f["properties"]["id"][:2] == province:
            cp = f["properties"]["cp"]
            return cp
    return None
