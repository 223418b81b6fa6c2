"""The work summary (工作总结) of a region and period: its figures, its sentences, and its Word and PDF files.

Every number comes from the exchange statistics (the analytics tables, suppressed for the requesting user exactly
as on the statistics page), so the summary and the statistics page always agree."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from shiliu.exchanges.statistics import selectors as statistics
from shiliu.reports import sentences
from shiliu.reports.models import SentenceTemplate
from shiliu.reports.sentences import Value

FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
ANNEX_LIMIT = 300  # rows of the annex of records in the files; beyond it the annex says how many more (the web version links them all)


def period_label(date_from: dt.date, date_to: dt.date) -> str:
    if date_from.month == 1 and date_from.day == 1 and date_to.month == 12 and date_to.day == 31:
        return f"{date_from.year}年"
    if date_from.day == 1 and (date_to.month - date_from.month) == 2 and date_from.month % 3 == 1:
        return f"{date_from.year}年第{(date_from.month - 1) // 3 + 1}季度"
    if date_from.day == 1 and date_from.month == date_to.month:
        return f"{date_from.year}年{date_from.month}月"
    return f"{date_from:%Y年%m月%d日}至{date_to:%Y年%m月%d日}"


def templates() -> dict[str, str]:
    """The sentence templates: the defaults, as edited by staff."""
    out = dict(sentences.DEFAULTS)
    out.update(dict(SentenceTemplate.objects.filter(key__in=out).values_list("key", "text")))
    return out


@dataclass
class Summary:
    region: Any
    date_from: dt.date
    date_to: dt.date
    figures: dict[str, Any] = field(default_factory=dict)
    paragraphs: list[tuple[str, list[tuple[str, dict[str, Value]]]]] = field(default_factory=list)
    plan_rows: list[tuple[str, int, str]] = field(default_factory=list)
    type_rows: list[tuple[str, int, str]] = field(default_factory=list)
    partner_rows: list[tuple[str, int]] = field(default_factory=list)
    annex: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    annex_more: int = 0

    @property
    def title(self) -> str:
        return f"{self.region.name}{period_label(self.date_from, self.date_to)}民族团结进步“三项计划”工作总结"


def build(
    *,
    user: Any,
    region: Any,
    date_from: dt.date,
    date_to: dt.date,
    progress: Callable[[int, str], None] | None = None,
) -> Summary:
    """The summary's content (figures, sentences with the records behind each number, tables, annex)."""
    from shiliu.exchanges.ledger.models import ActivityStatus
    from shiliu.exchanges.ledger.selectors import activity_list
    from shiliu.jurisdiction.scope import any_under
    from shiliu.pairings.models import Pairing, PairingStatus
    from shiliu.pairings.selectors import coverage, pairing_list

    step = progress or (lambda _p, _m: None)
    code = region.code
    period: dict[str, Any] = {"date_from": date_from, "date_to": date_to}
    step(10, _("Counting the activities"))
    stats = statistics.activity_stats(user=user, region=code, **period)
    more = statistics.youth_and_tourism_stats(user=user, region=code, **period)
    step(30, _("Counting pairings"))
    pairings = (
        pairing_list(user=user, status=PairingStatus.ACTIVE)
        .filter(pk__in=Pairing.objects.filter(any_under(("a_region", "b_region"), code)).values("pk"))
        .count()
    )
    towns = coverage(user=user, region=code, subject="townships") if len(code) <= 6 else None
    base = {
        "region": code,
        "status": "confirmed",
        "date_from": date_from.isoformat(),
        "date_to": date_to.isoformat(),
    }
    ledger = reverse("exchanges:list")

    def url(**extra: str) -> str:
        return f"{ledger}?{urlencode({**base, **extra})}"

    s = Summary(region=region, date_from=date_from, date_to=date_to)
    values = {
        "region": Value(region.name),
        "period": Value(period_label(date_from, date_to)),
        "batches": Value(str(stats.batches), url()),
        "person_times": Value(stats.person_times.text, "" if stats.person_times.hidden else url()),
        "sending_batches": Value(str(stats.by_role["sending"][0]), url(role="sending")),
        "receiving_batches": Value(str(stats.by_role["receiving"][0]), url(role="receiving")),
        "partner_count": Value(str(len(stats.top_partners))),
        "partner_names": Value("、".join(name for _c, name, _n in stats.top_partners[:5]) or "—"),
        "pairings": Value(str(pairings), f"{reverse('pairings:list')}?status=active"),
        "town_coverage": Value(
            f"{towns.percent:.0f}" if towns and towns.total else "—",
            f"{reverse('pairings:coverage')}?region={code}&subject=townships" if towns else "",
        ),
        "penpal_pairs": Value(str(more["pairs"]), reverse("exchanges:penpals")),
        "tour_groups": Value(str(more["groups_out"] + more["groups_in"]), reverse("exchanges:tours")),
        "visitors": Value(str(more["visitors_out"] + more["visitors_in"]), reverse("exchanges:tours")),
    }
    texts = templates()
    s.paragraphs.append((_("Overview"), [(texts["opening"], values), (texts["pairing"], values)]))
    plan_sentences = []
    for key, label, n, people in stats.by_plan:
        plan_values = {
            **values,
            "plan_name": Value(label),
            "plan_batches": Value(str(n), url(plan=key)),
            "plan_person_times": Value(people.text, "" if people.hidden else url(plan=key)),
        }
        plan_sentences.append((texts["plan"], plan_values))
        s.plan_rows.append((label, n, people.text))
    s.paragraphs.append((_("The Three Plans"), plan_sentences))
    s.paragraphs.append((_("Youth and tourism"), [(texts["youth_tourism"], values)]))
    s.type_rows = [(name, n, people.text) for _k, name, n, people in stats.by_type]
    s.partner_rows = [(name, n) for _c, name, n in stats.top_partners]
    s.figures = {
        "batches": stats.batches,
        "person_times": stats.person_times.text,
        "sending_batches": stats.by_role["sending"][0],
        "receiving_batches": stats.by_role["receiving"][0],
        "plans": {key: [n, people.text] for key, _label, n, people in stats.by_plan},
        "pairings": pairings,
    }
    step(50, _("Listing the records"))
    records = activity_list(user=user, region=code, status=ActivityStatus.CONFIRMED, **period).order_by(
        "start_date", "pk"
    )
    total = records.count()
    for a in records[:ANNEX_LIMIT]:
        s.annex.append(
            (
                a.start_date.isoformat(),
                a.title,
                a.party_label("sending"),
                a.party_label("receiving"),
                str(a.activity_type),
            )
        )
    s.annex_more = max(0, total - ANNEX_LIMIT)
    return s


def bar_chart_png(rows: list[tuple[str, int, str]], title: str) -> bytes:
    """A horizontal bar chart (batches by plan) drawn with Pillow and the CJK font, for Word and PDF."""
    from PIL import Image, ImageDraw, ImageFont

    width, bar_h, left = 1100, 44, 420
    height = 70 + bar_h * max(len(rows), 1)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    font: Any
    try:
        font = ImageFont.truetype(FONT, 22)
    except OSError:
        font = ImageFont.load_default()
    draw.text((16, 14), title, fill="#1d1d1d", font=font)
    top = max([n for _l, n, _p in rows] or [1]) or 1
    for i, (label, n, _people) in enumerate(rows):
        y = 60 + i * bar_h
        draw.text((16, y + 6), label, fill="#1d1d1d", font=font)
        w = int((width - left - 90) * n / top)
        draw.rectangle([left, y + 6, left + max(w, 2), y + bar_h - 8], fill="#2f5d8a")
        draw.text((left + w + 10, y + 6), str(n), fill="#1d1d1d", font=font)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def to_docx(summary: Summary) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Noto Serif CJK SC"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "Noto Serif CJK SC")
    style.font.size = Pt(12)
    cover = doc.add_paragraph()
    cover.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = cover.add_run(summary.title)
    run.bold = True
    run.font.size = Pt(22)
    sub = doc.add_paragraph(f"{summary.region.name} · {period_label(summary.date_from, summary.date_to)}")
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_page_break()
    for heading, items in summary.paragraphs:
        doc.add_heading(heading, level=1)
        for text, values in items:
            doc.add_paragraph(sentences.render(text, values))
    doc.add_heading(_("Batches by plan"), level=1)
    doc.add_picture(io.BytesIO(bar_chart_png(summary.plan_rows, _("Batches by plan"))), width=Pt(420))
    _docx_table(doc, [_("Plan"), _("Batches"), _("Person-times")], summary.plan_rows)
    doc.add_heading(_("By activity type"), level=1)
    _docx_table(doc, [_("Type"), _("Batches"), _("Person-times")], summary.type_rows)
    doc.add_heading(_("Partner regions"), level=1)
    _docx_table(doc, [_("Region"), _("Batches")], summary.partner_rows)
    doc.add_page_break()
    doc.add_heading(_("Annex: the activities"), level=1)
    _docx_table(
        doc, [_("Start"), _("Title"), _("Sending party"), _("Receiving party"), _("Type")], summary.annex
    )
    if summary.annex_more:
        doc.add_paragraph(_("… and %(n)d more activities (see the ledger).") % {"n": summary.annex_more})
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _docx_table(doc: Any, header: list[str], rows: list[tuple[Any, ...]]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = str(text)
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = str(value)


def to_html(summary: Summary, *, for_pdf: bool) -> str:
    import base64

    chart = base64.b64encode(bar_chart_png(summary.plan_rows, _("Batches by plan"))).decode()
    return render_to_string(
        "reports/summary_document.html" if for_pdf else "reports/_summary_body.html",
        {
            "summary": summary,
            "paragraphs": [
                (heading, [sentences.render_html(text, values) for text, values in items])
                for heading, items in summary.paragraphs
            ],
            "chart": chart if for_pdf else "",
            "for_pdf": for_pdf,
            "period": period_label(summary.date_from, summary.date_to),
        },
    )


def to_pdf(summary: Summary, *, base_url: str = "") -> bytes:
    import logging

    from weasyprint import HTML

    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)  # one line per page otherwise

    return HTML(string=to_html(summary, for_pdf=True), base_url=base_url or None).write_pdf()  # type: ignore[no-any-return]
