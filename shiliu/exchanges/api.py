# No "from __future__ import annotations": django-ninja reads these annotations at import time.
"""The exchanges API: one router per feature, gathered under one tag. Each feature's router lets in the roles that
read records (``readers_only``), as the pages do."""

from ninja import Router

from shiliu.exchanges.ledger.api import router as ledger_router
from shiliu.exchanges.menu.api import router as menu_router
from shiliu.exchanges.statistics.api import router as statistics_router
from shiliu.exchanges.tourism.api import router as tourism_router

router = Router()  # each feature router carries the "exchanges" tag
# /activities/statistics before /activities/{id}
router.add_router("", statistics_router)
router.add_router("", ledger_router)
router.add_router("", menu_router)
router.add_router("", tourism_router)
