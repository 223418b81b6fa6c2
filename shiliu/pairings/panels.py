"""A hook for the apps above pairings to add a panel to the pairing page (see :mod:`shiliu.lib.panels`).

Pairings cannot know the apps built on it (the exchange ledger, later resident services and reports), so they
register a panel function here from their ``AppConfig.ready()``.
"""

from __future__ import annotations

from shiliu.lib.panels import Panel, PanelRegistry

pairing_panels = PanelRegistry()
register = pairing_panels.register
panels_for = pairing_panels.panels_for

__all__ = ["Panel", "pairing_panels", "panels_for", "register"]
