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
PDF = frozenset({"pdf"})
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
    if set(allowed) == PDF:
        message = _("Upload a PDF document; this file is not one.")
    elif set(allowed) == IMAGES:
        message = _("Upload an image (PNG or JPEG); this file is not one.")
    elif "xlsx" in allowed:
        message = _(
            "Upload an image (PNG or JPEG), a PDF or an Excel file (.xlsx); this file is none of these."
        )
    else:
        message = _("Upload a PDF or an image (PNG or JPEG); this file is neither.")
    raise ValidationError({field: message})


# Images larger than this many pixels are refused before decoding (a small file can unpack into gigabytes).
MAX_IMAGE_PIXELS = 40_000_000


def reencode_image(
    upload: Any, *, field: str = "image", max_side: int = 2400, thumb_side: int = 320
) -> tuple[bytes, bytes, str]:
    """Decode an uploaded image (already checked by ``check_document``) and encode it again with Pillow: the
    stored copy carries no metadata (EXIF with GPS positions, XMP, comments) and nothing hidden after the image
    data. Returns (image bytes, thumbnail bytes, extension); a file that does not decode is refused on ``field``.
    """
    import io

    from PIL import Image, ImageOps, UnidentifiedImageError

    upload.seek(0)
    try:
        with Image.open(upload) as probe:
            width, height = probe.size
            if width * height > MAX_IMAGE_PIXELS:
                raise ValidationError({field: _("The image is too large (more than 40 million pixels).")})
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as original:
            image = ImageOps.exif_transpose(original)  # keep the orientation the camera meant, drop the tag
            image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValidationError({field: _("The image could not be read; upload a valid PNG or JPEG.")}) from exc
    finally:
        upload.seek(0)
    keep_alpha = (
        image.mode in ("RGBA", "LA", "P") and "transparency" in image.info or image.mode in ("RGBA", "LA")
    )
    fmt, ext = ("PNG", "png") if keep_alpha else ("JPEG", "jpg")
    image = image.convert("RGBA" if keep_alpha else "RGB")  # a fresh image: no info, no EXIF, no ICC comments

    def encode(img: Any, side: int) -> bytes:
        copy = img.copy()
        copy.thumbnail((side, side))
        out = io.BytesIO()
        if fmt == "JPEG":
            copy.save(out, "JPEG", quality=85, optimize=True)
        else:
            copy.save(out, "PNG", optimize=True)
        return out.getvalue()

    return encode(image, max_side), encode(image, thumb_side), ext
