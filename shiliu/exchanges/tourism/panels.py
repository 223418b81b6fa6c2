"""A hook for the features above tourism to add a panel to a study route's page (see :mod:`shiliu.lib.panels`):
the exchange menu lists the offers on the route that the reader may open."""

from __future__ import annotations

from shiliu.lib.panels import Panel, PanelRegistry

route_panels = PanelRegistry()

__all__ = ["Panel", "route_panels"]
