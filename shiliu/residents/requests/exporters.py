"""Excel export of the desk's metrics (the same figures, scope and period as the page)."""

from __future__ import annotations

from typing import cast

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from shiliu.lib.downloads import append_row, workbook_bytes

from .models import DeskSettings
from .selectors import Figures


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f}%"


def metrics_xlsx(figures: list[Figures], desk: DeskSettings) -> bytes:
    wb = Workbook()
    ws = cast(Worksheet, wb.active)
    ws.title = _("Request metrics")
    append_row(
        ws,
        [
            _("Unit or region"),
            _("Requests assessed"),
            _("Excluded"),
            _("Response rate"),
            _("On-time rate"),
            _("Answered on time"),
            _("Late (answered late or open past the deadline)"),
            _("Resolution rate"),
            _("Satisfaction rate"),
            _("Composite score"),
        ],
    )
    for f in sorted(figures, key=lambda f: -(f.score(desk) or -1)):
        score = f.score(desk)
        append_row(
            ws,
            [
                f.label,
                f.counts["all"],
                f.counts["excluded"],
                _pct(f.response_rate),
                _pct(f.on_time_rate),
                f.counts["on_time"],
                f.counts["late"],
                _pct(f.resolution_rate),
                _pct(f.satisfaction_rate),
                "—" if score is None else round(score, 1),
            ],
        )
    return workbook_bytes(wb)
