"""Excel export of the filtered registry (same scope and filters as the page); protected numbers stay masked, and
the origin side's rows carry only the fields it may read."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, cast

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from shiliu.lib import clock
from shiliu.lib.downloads import append_row, workbook_bytes
from shiliu.runtime.exports import ExportRefused, Progress, counted

from .models import Resident

COLUMNS = (
    ("Full name", 12),
    ("Origin region", 24),
    ("Residence community", 24),
    ("Division code", 15),
    ("Moved in on", 12),
    ("Status", 12),
    ("Needs", 24),
    ("ID number", 22),
    ("Phone", 14),
    ("Ethnic group", 10),
    ("Skills", 20),
    ("Languages", 16),
)


def residents_xlsx(residents: Iterable[Resident]) -> bytes:
    wb = Workbook()
    ws = cast(Worksheet, wb.active)
    ws.title = _("Migrant residents")
    append_row(ws, [_(title) for title, _width in COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in residents:
        managed = getattr(r, "managed", False)
        row = [
            r.name,
            r.origin_region.name,
            r.residence_unit.name if r.residence_unit else r.residence_region.name,
            r.residence_region_id,
            r.moved_in_on,
            r.get_status_display(),
            "、".join(r.need_labels),
        ]
        if managed:  # the origin side reads the first columns only
            row += [
                r.id_number_masked,
                r.phone_masked,
                r.ethnic_group.name if r.ethnic_group_id else "",  # type: ignore[union-attr]
                r.skills,
                r.language,
            ]
        append_row(ws, row)
    for index, (_title, width) in enumerate(COLUMNS):
        ws.column_dimensions[chr(ord("A") + index)].width = width
    ws.freeze_panes = "A2"
    return workbook_bytes(wb)


EXPORT_KIND = "residents.residents"


def write_residents(user: Any, params: Mapping[str, Any], progress: Progress) -> tuple[str, bytes]:
    """The residents export as a background job (runtime.exports): what ``user`` may see under the list's filters;
    the origin side's rows carry the first columns only."""
    from .forms import ResidentFilterForm
    from .selectors import resident_list

    filters: dict[str, Any] = {}
    if params:
        form = ResidentFilterForm(params)
        if not form.is_valid():
            raise ExportRefused(" ".join(str(m) for errors in form.errors.values() for m in errors))
        filters = {k: form.cleaned_data[k] for k in ("need", "status", "side")}
        filters["query"] = form.cleaned_data["q"]
    residents = resident_list(user=user, **filters)
    rows = counted(residents.iterator(chunk_size=2000), residents.count(), progress, every=500)
    stamp = clock.now().strftime("%Y%m%d-%H%M")
    return f"residents-{stamp}.xlsx", residents_xlsx(rows)
