"""Where the seekers' list (求职需求清单) and the posts (岗位供给清单) meet, and where they do not.

A post fits a row of the seekers' list when all four agree: the same occupation (major group), the post's place lies
in the wanted region, its highest wage reaches the lowest wage the seekers accept, and — when the row names
languages — the post names one of them or asks for none. Plain Python over the records; no queries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_SPLIT = re.compile(r"[\s,，、;；/]+")
COMMON = "国家通用语言"


def _languages(text: str) -> set[str]:
    return {p for p in _SPLIT.split(text or "") if p}


def reasons(need: Any, job: Any) -> list[str]:
    """Why a post does not fit a row: the criteria that fail (empty: it fits)."""
    failed = []
    if job.occupation != need.occupation:
        failed.append("occupation")
    if not str(job.region_id).startswith(str(need.place_region_id)):
        failed.append("place")
    if job.wage_max < need.wage_min:
        failed.append("wage")
    wanted, offered = _languages(need.languages), _languages(job.languages)
    if wanted and offered and not (wanted & offered):
        failed.append("language")
    return failed


@dataclass
class Match:
    need: Any
    jobs: list[Any] = field(default_factory=list)
    openings: int = 0
    # For a row no post fits: the posts of its occupation and what kept each out.
    near: list[tuple[Any, list[str]]] = field(default_factory=list)


@dataclass
class MatchResult:
    rows: list[Match]
    unwanted_jobs: list[Any]  # posts that fit no row of the seekers' list

    @property
    def unmet(self) -> list[Match]:
        return [r for r in self.rows if not r.jobs]

    @property
    def met(self) -> list[Match]:
        return [r for r in self.rows if r.jobs]


def match(needs: list[Any], jobs: list[Any]) -> MatchResult:
    rows: list[Match] = []
    wanted: set[int] = set()
    for need in needs:
        row = Match(need=need)
        for job in jobs:
            failed = reasons(need, job)
            if not failed:
                row.jobs.append(job)
                row.openings += job.openings
                wanted.add(job.pk)
            elif "occupation" not in failed:
                row.near.append((job, failed))
        rows.append(row)
    return MatchResult(rows=rows, unwanted_jobs=[j for j in jobs if j.pk not in wanted])
