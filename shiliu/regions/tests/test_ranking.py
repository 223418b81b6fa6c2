import pytest

from conftest import make_user
from shiliu.regions.ranking import preferred_codes
from shiliu.regions.selectors import region_search


@pytest.mark.django_db
def test_nlt_gives_a_xinyuan_user_nalati_before_nalintaohai(client, login):
    # It gave 纳林陶亥镇 (内蒙古) before 那拉提镇 to a 新源县 staff member: code order, nothing about the user.
    names = [r.name for r in region_search(query="nlt")]
    assert names.index("纳林陶亥镇") < names.index("那拉提镇")  # without a user: code order
    xinyuan = make_user("xinyuan-ranking", "commission_staff", "654025")
    login(xinyuan)
    found = client.get("/api/regions", {"q": "nlt"}).json()["items"]
    assert found[0]["name"] == "那拉提镇"


@pytest.mark.django_db
def test_paired_regions_rank_first_too(yangzhou, xinyuan):
    from shiliu.pairings import services
    from shiliu.regions.models import Region

    assert preferred_codes(yangzhou) == ["3210"]
    p = services.pairing_propose(
        actor=yangzhou, kind="co_building", a_region=Region.objects.get(code="3210"),
        b_region=Region.objects.get(code="654025"),
    )  # fmt: skip
    services.pairing_respond(actor=xinyuan, pairing=p, accept=True)
    assert "654025" in preferred_codes(yangzhou)
    names = [r.name for r in region_search(query="nlt", prefer=preferred_codes(yangzhou))]
    assert names.index("那拉提镇") < names.index("纳林陶亥镇")
