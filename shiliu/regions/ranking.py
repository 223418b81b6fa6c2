"""Which divisions a user's search should show first: their own and those they work with.

"nlt" matches both 那拉提镇 (新源县) and 纳林陶亥镇 (内蒙古); a 新源县 staff member means the first. The user's own
division is known here (every user carries ``region_id``); the divisions they work with (the other sides of their
pairings) are known only to apps above, which register a provider from ``AppConfig.ready()``: given the user it
returns division codes, and the search ranks the divisions under any of them first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

PreferredProvider = Callable[[Any], "list[str]"]
_providers: list[PreferredProvider] = []

MAX_PREFERRED = 50


def register_preferred(provider: PreferredProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def preferred_codes(user: Any) -> list[str]:
    """The user's own division, then what the providers add; most specific codes are kept as given."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    codes: list[str] = []
    own = getattr(user, "region_id", None)
    if own:
        codes.append(own)
    for provider in _providers:
        codes += [c for c in provider(user) if c and c not in codes]
    return codes[:MAX_PREFERRED]
