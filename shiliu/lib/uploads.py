"""Checks on uploaded documents: size and real type (by content, not by file name)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
MAX_PHOTO_BYTES = 10 * 1024 * 1024  # offer and route-stop photos
_SIGNATURES = {
    b"%PDF-": "pdf",
    b"\x89PNG\r\n\x1a\n": "png",
    b"\xff\xd8\xff": "jpeg",
    b"PK\x03\x04": "xlsx",  # a zip container; accepted only where xlsx is, and only under an .xlsx name
}
IMAGES = frozenset({"png", "jpeg"})
DOCUMENTS = frozenset({"pdf", "png", "jpeg"})


def check_document(
    upload: Any,
    *,
    allowed: Collection[str] = DOCUMENTS,
    field: str = "document",
    max_bytes: int = MAX_DOCUMENT_BYTES,
) -> str:
    """Accept a file of an allowed type (PDF, PNG, JPEG by default; xlsx on request) within the size limit.

    Returns its type; anything else is refused with a reason attached to ``field``.
    """
    size = getattr(upload, "size", None) or 0
    if size > max_bytes:
        raise ValidationError(
            {
                field: _("The file is %(size)d MB; the limit is %(limit)d MB.")
                % {"size": size // (1024 * 1024), "limit": max_bytes // (1024 * 1024)}
            }
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, kind in _SIGNATURES.items():
        if head.startswith(signature) and kind in allowed:
            if kind == "xlsx" and not str(getattr(upload, "name", "")).lower().endswith(".xlsx"):
                break
            return kind
    if set(allowed) == IMAGES:
        message = _("Upload an image (PNG or JPEG); this file is not one.")
    elif "xlsx" in allowed:
        message = _(
            "Upload an image (PNG or JPEG), a PDF or an Excel file (.xlsx); this file is none of these."
        )
    else:
        message = _("Upload a PDF or an image (PNG or JPEG); this file is neither.")
    raise ValidationError({field: message})
