"""Checks on uploaded documents: size and real type (by content, not by file name)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
_SIGNATURES = {
    b"%PDF-": "pdf",
    b"\x89PNG\r\n\x1a\n": "png",
    b"\xff\xd8\xff": "jpeg",
}


def check_document(upload: Any) -> str:
    """Accept a PDF, PNG or JPEG of at most 20 MB; return its type. Anything else is refused with a reason."""
    size = getattr(upload, "size", None) or 0
    if size > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            {"document": _("The file is %(size)d MB; the limit is 20 MB.") % {"size": size // (1024 * 1024)}}
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, kind in _SIGNATURES.items():
        if head.startswith(signature):
            return kind
    raise ValidationError({"document": _("Upload a PDF or an image (PNG or JPEG); this file is neither.")})
