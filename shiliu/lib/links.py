"""Links to media elsewhere (a video, a stream, a replay): http(s) only, shown as plain links."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_LINK_LENGTH = 500


def check_link(value: str, *, field: str = "url") -> str:
    """Accept an absolute http(s) link with a host; refuse script and data schemes (``javascript:``,
    ``data:``, ``vbscript:``), relative paths and control characters, with the reason on ``field``."""
    url = (value or "").strip()
    if not url:
        return ""
    if len(url) > MAX_LINK_LENGTH:
        raise ValidationError({field: _("The link is too long (at most 500 characters).")})
    if any(ord(c) < 32 or c in " \x7f" for c in url):
        raise ValidationError({field: _("The link must not contain spaces or control characters.")})
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or parts.netloc.startswith("@"):
        raise ValidationError({field: _("Only web links starting with http:// or https:// are allowed.")})
    return url
