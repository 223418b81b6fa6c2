"""Property: tour groups and study routes never show outside the jurisdiction (pages, API list and detail, flows).

Hypothesis draws a user anywhere in the region tree and tour groups between any two divisions; a group is visible
exactly when its origin or its destination lies in the user's jurisdiction. A route is visible when it is public
or lies in the jurisdiction.
"""

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from conftest import make_unit, make_user
from shiliu.exchanges.models import StudyRoute, TourGroup
from shiliu.regions.models import Region

REGIONS = ["32", "3210", "321002", "65", "6540", "654025", "654025104", "51", "5101", "510104"]


class TourismScopeTests(TestCase):
    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        role=st.sampled_from(["commission_staff", "unit_coordinator", "resident"]),
        user_region=st.sampled_from(REGIONS),
        trips=st.lists(st.tuples(st.sampled_from(REGIONS), st.sampled_from(REGIONS)), min_size=1, max_size=6),
        routes=st.lists(st.tuples(st.sampled_from(REGIONS), st.booleans()), max_size=4),
    )
    def test_tour_groups_and_routes_stay_in_scope(self, role, user_region, trips, routes):
        owner = make_user("recorder", "platform_admin", None)
        unit = make_unit(user_region, "本单位") if role == "unit_coordinator" else None
        user = make_user("someone", role, user_region, unit)
        day = dt.date(2026, 6, 1)
        groups = [
            TourGroup.objects.create(
                name=f"团{i}", origin_region=Region.objects.get(code=o), destination_region=Region.objects.get(code=d),
                start_date=day, end_date=day, size=10 + i, created_by=owner,
            )
            for i, (o, d) in enumerate(trips)
        ]  # fmt: skip
        made = [
            StudyRoute.objects.create(
                title=f"路线{i}", region=Region.objects.get(code=code), is_public=public, created_by=owner
            )
            for i, (code, public) in enumerate(routes)
        ]
        self.client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        staff = role != "resident"

        def inside(code: str) -> bool:
            return staff and code.startswith(user_region)

        visible = {g.pk for g in groups if inside(g.origin_region_id) or inside(g.destination_region_id)}
        listed = {
            g["id"] for g in self.client.get("/api/tour-groups", {"limit": 100}).json().get("items", [])
        }
        assert listed == visible
        for g in groups:
            assert (self.client.get(f"/api/tour-groups/{g.pk}").status_code == 200) == (g.pk in visible)
        flows = self.client.get("/api/tour-groups/flows", {"level": 12}).json()
        total = sum(f["visitors"] for f in flows) if isinstance(flows, list) else 0
        assert total == sum(
            g.size for g in groups if g.pk in visible and g.origin_region_id != g.destination_region_id
        )
        if staff:
            page = self.client.get("/exchanges/tours/").content.decode()
            for g in groups:
                assert (f"<td>{g.name}</td>" in page) == (g.pk in visible)
        seen_routes = {
            r["id"] for r in self.client.get("/api/routes", {"limit": 100}).json().get("items", [])
        }
        assert seen_routes == {
            r.pk for r in made if staff and (r.is_public or r.region_id.startswith(user_region))
        }
