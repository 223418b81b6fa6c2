import pytest

from shiliu.pairings import services as pairing_services
from shiliu.regions.models import Region


@pytest.fixture
def paired(yangzhou, xinyuan):
    """扬州市 ↔ 新源县, proposed by 扬州 and accepted by 新源."""
    p = pairing_services.pairing_propose(
        actor=yangzhou,
        kind="counterpart_support",
        a_region=Region.objects.get(code="3210"),
        b_region=Region.objects.get(code="654025"),
    )
    return pairing_services.pairing_respond(actor=xinyuan, pairing=p, accept=True)
