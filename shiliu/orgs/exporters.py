"""Excel export of the filtered unit list (same scope and filters as the page), in the import template's columns."""

from __future__ import annotations

from collections.abc import Iterable

from shiliu.lib.downloads import workbook_bytes

from .models import Organization
from .workbook import export_workbook


def organizations_xlsx(units: Iterable[Organization]) -> bytes:
    return workbook_bytes(export_workbook(units))
