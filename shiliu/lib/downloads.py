"""Responses that hand the user a file: an Excel workbook made on the fly, or a stored upload."""

from __future__ import annotations

import io
from typing import Any, cast

from django.http import FileResponse, HttpResponse

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook_bytes(workbook: Any) -> bytes:
    """An openpyxl workbook as the bytes of an .xlsx file."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def file_response(stored: Any, filename: str | None = None) -> HttpResponse:
    """A stored upload, streamed. Callers check first that the viewer may see the record it belongs to."""
    response = FileResponse(stored.open("rb"), filename=filename or "")
    return cast(HttpResponse, response)  # a streaming response, served like any other
