"""Occupation codes: the eight major groups (大类) of 《中华人民共和国职业分类大典（2022年版）》.

Source: Ministry of Human Resources and Social Security, National Bureau of Statistics et al., *Occupational
Classification of the People's Republic of China (2022 edition)*, published 2022-09 (8 major groups, 79 middle
groups, 449 small groups, 1,636 occupations). Only the major groups are held here; a job's ``occupation`` is the
major group's one-digit code. The names are the published Chinese names (data, not interface text), with an English
gloss for English pages.
"""

from __future__ import annotations

from django.utils.translation import get_language

EDITION = "2022"
MAJOR_GROUPS: tuple[tuple[str, str, str], ...] = (
    (
        "1",
        "党的机关、国家机关、群众团体和社会组织、企事业单位负责人",
        "Heads of Party and state organs, organisations, enterprises and institutions",
    ),
    ("2", "专业技术人员", "Professional and technical personnel"),
    ("3", "办事人员和有关人员", "Clerical and related personnel"),
    ("4", "社会生产服务和生活服务人员", "Social production and life service personnel"),
    (
        "5",
        "农、林、牧、渔业生产及辅助人员",
        "Agricultural, forestry, animal husbandry and fishery production personnel",
    ),
    ("6", "生产制造及有关人员", "Production and manufacturing personnel"),
    ("7", "军人", "Military personnel"),
    ("8", "不便分类的其他从业人员", "Other personnel not classifiable"),
)
CODES = tuple(code for code, _zh, _en in MAJOR_GROUPS)
# The groups of the posts that fill disappointing fairs ("80 % sales or clerical"): clerical (3) and the
# service group that holds sales (4).
SALES_OR_CLERICAL = ("3", "4")


def name(code: str) -> str:
    for c, zh, en in MAJOR_GROUPS:
        if c == code:
            return en if (get_language() or "zh-hans").startswith("en") else zh
    return code


def choices() -> list[tuple[str, str]]:
    return [(code, f"{code} {name(code)}") for code in CODES]
