"""The sentence templates of the work summary: a tiny placeholder language, safe by construction.

A template is plain text with ``{name}`` placeholders from a fixed list (:data:`PLACEHOLDERS`); nothing else is
interpreted — no expressions, no attribute access, no filters, no code — so staff may edit them freely. Unknown
names and unbalanced braces are refused when the template is saved. Rendered for the web, each number is a link to
the records behind it; for Word and PDF, plain text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

PLACEHOLDERS = {
    "region": _("the region's name"),
    "period": _("the period, as 2026年 or 2026年第1季度"),
    "batches": _("batches (activities)"),
    "person_times": _("person-times"),
    "sending_batches": _("batches as sending party"),
    "receiving_batches": _("batches as receiving party"),
    "partner_count": _("number of partner regions"),
    "partner_names": _("the main partner regions"),
    "pairings": _("active pairings"),
    "town_coverage": _("township pairing coverage (%)"),
    "plan_batches": _("batches of the plan (in a plan's sentence)"),
    "plan_person_times": _("person-times of the plan (in a plan's sentence)"),
    "plan_name": _("the plan's name (in a plan's sentence)"),
    "penpal_pairs": _("pen-pal pairs"),
    "tour_groups": _("tour groups"),
    "visitors": _("visitors in tour groups"),
}

DEFAULTS = {
    "opening": "{period}以来，{region}累计组织交往交流交融活动{batches}批次、{person_times}人次，其中派出{sending_batches}批次、"
    "接待{receiving_batches}批次。",
    "pairing": "与{partner_count}个地区开展交流（主要有{partner_names}），现有结对{pairings}对，乡镇结对覆盖率{town_coverage}%。",
    "plan": "{plan_name}：组织活动{plan_batches}批次、{plan_person_times}人次。",
    "youth_tourism": "书信手拉手结对{penpal_pairs}对；旅游团{tour_groups}个、游客{visitors}人次。",
}

# What each sentence is, as staff see it (the keys are identifiers, never shown).
LABELS = {
    "opening": _("Opening: the year's exchanges"),
    "pairing": _("Pairings and partner regions"),
    "plan": _("Each plan's sentence"),
    "youth_tourism": _("Pen-pals and tour groups"),
}

_TOKEN = re.compile(r"\{([a-z_]+)\}")


def problems(text: str) -> list[str]:
    """What is wrong with a template (empty when it may be saved)."""
    out = []
    names = _TOKEN.findall(text)
    unknown = sorted({n for n in names if n not in PLACEHOLDERS})
    if unknown:
        out.append(
            str(_("Unknown placeholder: %(names)s")) % {"names": "、".join("{" + n + "}" for n in unknown)}
        )
    stripped = _TOKEN.sub("", text)
    if "{" in stripped or "}" in stripped:
        out.append(str(_("Braces are only for placeholders such as {batches}.")))
    return out


@dataclass(frozen=True)
class Value:
    text: str
    url: str = ""


def render(text: str, values: dict[str, Value]) -> str:
    """Plain text: each placeholder replaced by its value (a missing one by "—")."""
    return _TOKEN.sub(lambda m: values[m.group(1)].text if m.group(1) in values else "—", text)


def render_html(text: str, values: dict[str, Value]) -> SafeString:
    """HTML for the web version: the text escaped, each number a link to its records."""
    parts: list[str] = []
    last = 0
    for m in _TOKEN.finditer(text):
        parts.append(escape(text[last : m.start()]))
        value = values.get(m.group(1))
        if value is None:
            parts.append("—")
        elif value.url:
            parts.append(
                format_html('<a href="{}" data-figure="{}">{}</a>', value.url, m.group(1), value.text)
            )
        else:
            parts.append(escape(value.text))
        last = m.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))  # noqa: S308 - every part escaped or built by format_html
