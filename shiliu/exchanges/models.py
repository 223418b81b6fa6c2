"""The models of the exchanges app, one module per feature; Django loads them from here.

- ``ledger``: activities of the Three Plans, their participation counts and evidence;
- ``menu``: offers, packages and bookings;
- ``youth``: pen-pal programmes and joint online classes;
- ``tourism``: study routes and tour groups;
- ``imports``: uploads of the historical ledger.
"""

from shiliu.exchanges.imports.models import RUNNING_IMPORTS, ImportJob, ImportStatus
from shiliu.exchanges.ledger.models import (
    MAX_COUNT,
    Activity,
    ActivityStatus,
    ActivityType,
    AgeBand,
    Category,
    Evidence,
    EvidenceKind,
    Gender,
    Participation,
    Plan,
    Side,
)
from shiliu.exchanges.menu.models import Booking, BookingStatus, CostBorneBy, Offer, Package
from shiliu.exchanges.statistics.models import (
    ActivityFact,
    FactKey,
    FactPending,
    FactRefresh,
    ParticipationFact,
    PartnerFact,
)
from shiliu.exchanges.tourism.models import RouteStop, StudyRoute, TourGroup
from shiliu.exchanges.youth.models import (
    LetterDirection,
    LetterLog,
    OnlineClass,
    OnlineClassKind,
    PenPalMatch,
    PenPalProgramme,
    PenPalStudent,
    StudentStatus,
)

__all__ = [
    "MAX_COUNT", "RUNNING_IMPORTS", "Activity", "ActivityFact", "FactKey", "FactPending", "FactRefresh",
    "ParticipationFact", "PartnerFact", "ActivityStatus", "ActivityType", "AgeBand", "Booking",
    "BookingStatus", "Category", "CostBorneBy", "Evidence", "EvidenceKind", "Gender", "ImportJob", "ImportStatus",
    "LetterDirection", "LetterLog", "OnlineClass", "OnlineClassKind", "Offer", "Package", "Participation",
    "PenPalMatch", "PenPalProgramme", "PenPalStudent", "Plan", "RouteStop", "Side", "StudentStatus", "StudyRoute",
    "TourGroup",
]  # fmt: skip
