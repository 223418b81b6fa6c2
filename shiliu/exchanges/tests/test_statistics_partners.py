"""Partner regions roll up to one level (a township's activities count for its county) and expand one level down;
person-times drill down to the activities behind them."""

import pytest

from shiliu.exchanges.ledger import services as ledger_services
from shiliu.exchanges.statistics import selectors as statistics_selectors
from shiliu.exchanges.tests.test_query_counts import activity


@pytest.mark.django_db
def test_partner_regions_roll_up_to_the_county_and_expand(client, login, yangzhou, xinyuan, paired):
    from shiliu.regions.models import Region

    township = (
        Region.objects.filter(code__startswith="654025", code__regex=r"^[0-9]{9}$").order_by("code").first()
    )
    assert township is not None  # 那拉提镇 and its neighbours
    made = [activity(xinyuan, n) for n in range(3)]  # 新源县 → 扬州市
    made.append(activity(xinyuan, 5, sending_region=township))
    for a in made:
        ledger_services.activity_confirm(actor=yangzhou, activity=a)
    stats = statistics_selectors.activity_stats(user=yangzhou, region="3210")
    assert stats.top_partners == [("654025", "新源县", 4)]
    by_province = statistics_selectors.activity_stats(user=yangzhou, region="3210", partner_level=2)
    assert by_province.top_partners == [("65", "新疆维吾尔自治区", 4)]
    expanded = statistics_selectors.activity_stats(user=yangzhou, region="3210", partner_within="65")
    assert [c for c, _n, _b in expanded.top_partners] == ["6540"]
    login(yangzhou)
    page = client.get("/exchanges/statistics/", {"partner_level": "2"}).content.decode()
    assert 'data-testid="expand-65"' in page and "新疆维吾尔自治区" in page
    assert 'data-testid="plan-people-embedding"' in page
