"""A hook for the features above the ledger to add a panel to an activity's page (see :mod:`shiliu.lib.panels`):
an online class shows its times, link, attendance and report form on its activity."""

from __future__ import annotations

from shiliu.lib.panels import Panel, PanelRegistry

activity_panels = PanelRegistry()

__all__ = ["Panel", "activity_panels"]
