"""One visibility rule for the pages and the API: a resident reads no offers, packages, bookings or routes of the
exchange menu through either, and gets 403 from the API wherever the pages answer 403."""

import pytest

from shiliu.exchanges.menu import selectors as menu_selectors
from shiliu.exchanges.menu import services as menu_services
from shiliu.exchanges.models import ActivityType
from shiliu.exchanges.tourism import selectors as tourism_selectors
from shiliu.exchanges.tourism import services as tourism_services
from shiliu.regions.models import Region
from shiliu.web.api import api


@pytest.fixture
def offers(yangzhou, yz_school, paired):
    data = {"activity_type": ActivityType.objects.get(name="研学"), "plan_youth": True, "capacity": 40,
            "duration_days": 1}  # fmt: skip
    private = menu_services.offer_publish(actor=yangzhou, host=yz_school, data={**data, "title": "运河研学"})
    public = menu_services.offer_publish(
        actor=yangzhou, host=yz_school, data={**data, "title": "非遗体验", "is_public": True}
    )
    package = menu_services.package_publish(
        actor=yangzhou, host=yz_school, title="研学套餐", offers=[private], is_public=True
    )
    route = tourism_services.route_create(
        actor=yangzhou,
        data={"title": "公开路线", "region": Region.objects.get(code="3210"), "is_public": True},
        stops=[{"name": "大运河", "region": Region.objects.get(code="321002")}],
    )
    return private, public, package, route


@pytest.mark.django_db
def test_a_resident_reads_no_offer_through_the_api_as_through_the_pages(client, login, resident, offers):
    private, public, _package, _route = offers
    login(resident)
    assert client.get("/exchanges/menu/").status_code == 403
    for url in ("/api/offers", f"/api/offers/{private.pk}", f"/api/offers/{public.pk}"):
        response = client.get(url)
        assert response.status_code == 403, (url, response.content)
        assert "角色" in response.json()["detail"]


@pytest.mark.django_db
def test_the_menu_rule_itself_gives_a_resident_nothing(resident, offers):
    assert not menu_selectors.offers_visible(user=resident).exists()
    assert not menu_selectors.packages_visible(user=resident).exists()
    assert not tourism_selectors.routes_visible(resident).exists()
    assert [qs.exists() for qs in menu_selectors.bookings_for(user=resident)] == [False, False]


@pytest.mark.django_db
def test_the_partner_region_still_browses_both_offers_and_an_outsider_only_the_public_one(
    client, login, xinyuan, outsider, offers
):
    private, public, _package, _route = offers
    login(xinyuan)
    assert {o["id"] for o in client.get("/api/offers").json()["items"]} == {private.pk, public.pk}
    login(outsider)
    assert {o["id"] for o in client.get("/api/offers").json()["items"]} == {public.pk}
    assert client.get(f"/api/offers/{private.pk}").status_code == 404


def _record_operations():
    schema = api.get_openapi_schema(path_prefix="/api/")
    reference = {"/api/token", "/api/me", "/api/regions", "/api/ethnic-groups"}
    return sorted(
        (method, path)
        for path, item in schema["paths"].items()
        for method in item
        if path not in reference
        and "{" not in path
        # the culture library's public door: items marked public, for anyone (culture/tests/test_api.py)
        and not path.startswith("/api/culture/public/")
        # Residents' own services (livelihood: posts, applications, classes, hours) answer them, scoped to them.
        and "resident services" not in item[method].get("tags", [])
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path"), _record_operations())
def test_a_resident_gets_403_from_every_api_operation_on_records(client, login, resident, method, path):
    login(resident)
    if method == "get":
        response = client.get(path, {"region": "654025"})
    else:
        response = getattr(client, method)(path, {}, content_type="application/json")
    # A body is checked before the role (422 for this empty one); every query is answered 403.
    assert response.status_code in ((403,) if method == "get" else (403, 422)), response.content


OUTSIDE = ["654025", "4501", "32"]  # the partner county, another province's city, the province above 扬州市


@pytest.mark.django_db
@pytest.mark.parametrize("region", OUTSIDE)
@pytest.mark.parametrize(
    "url",
    [
        "/exchanges/statistics/",
        "/exchanges/statistics.xlsx",
        "/api/activities/statistics",
        "/pairings/coverage/",
        "/pairings/coverage.xlsx",
        "/exchanges/tours/flows/",
        "/exchanges/tours/flows.xlsx",
        "/api/tour-groups/flows",
    ],
)
def test_figures_for_a_region_outside_the_jurisdiction_are_refused(
    client, login, yangzhou, paired, region, url
):
    login(yangzhou)
    response = client.get(url, {"region": region})
    assert response.status_code == 403, response.content[:300]
    text = response.json()["detail"] if url.startswith("/api/") else response.content.decode()
    assert "辖区" in text


@pytest.mark.django_db
@pytest.mark.parametrize("region", ["3210", "321002"])
@pytest.mark.parametrize(
    "url",
    [
        "/exchanges/statistics/",
        "/exchanges/statistics.xlsx",
        "/api/activities/statistics",
        "/pairings/coverage/",
        "/exchanges/tours/flows/",
        "/api/tour-groups/flows",
    ],
)
def test_figures_for_the_jurisdiction_and_below_are_served(client, login, yangzhou, paired, region, url):
    login(yangzhou)
    assert client.get(url, {"region": region}).status_code == 200


@pytest.mark.django_db
def test_flows_for_a_region_keep_the_groups_that_leave_or_reach_it(client, login, yangzhou, xinyuan, paired):
    import datetime as dt

    day = dt.date(2026, 6, 1)
    for origin, destination, size in (("321002", "654025", 40), ("321012", "654025", 30)):
        tourism_services.tour_group_record(
            actor=yangzhou,
            data={"name": f"团{size}", "origin_region": Region.objects.get(code=origin),
                  "destination_region": Region.objects.get(code=destination), "start_date": day, "end_date": day,
                  "size": size},
        )  # fmt: skip
    login(yangzhou)
    flows = client.get("/api/tour-groups/flows", {"region": "321002", "level": 6}).json()
    assert [(f["origin"], f["visitors"]) for f in flows] == [("321002", 40)]
    assert sum(f["visitors"] for f in client.get("/api/tour-groups/flows", {"level": 6}).json()) == 70
