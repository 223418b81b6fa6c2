"""Reference data in the reader's language: records named in Chinese that also carry an English name.

Divisions, ethnic groups, mechanisms and activity types are data, not interface text, so gettext cannot translate
them; the records carry their English name (GB 3304's romanized names for ethnic groups, a column for the others)
and show it when the page is in English. A record without one shows its Chinese name.
"""

from __future__ import annotations

from django.utils.translation import get_language


def in_english() -> bool:
    return (get_language() or "").startswith("en")


def localized(name: str, english: str) -> str:
    return english if english and in_english() else name
