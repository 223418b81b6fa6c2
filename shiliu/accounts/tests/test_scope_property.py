"""Property: nobody ever reads or changes a record outside their scope, through views and the API alike.

Hypothesis draws a user (role and jurisdiction anywhere in the region tree) and units scattered over the
tree, then checks every way in: the list page, the detail page, the edit form, the Excel export and the API's
list, detail and update endpoints.
"""

import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase
from openpyxl import load_workbook

from conftest import make_unit, make_user
from shiliu.orgs.models import Organization

# Divisions at every level, in overlapping subtrees (扬州, 新源, 成都) and siblings.
REGIONS = [
    "32",
    "3210",
    "321002",
    "321003",
    "321002001",
    "65",
    "6540",
    "654025",
    "654025100",
    "654025104",
    "654026",
    "51",
    "5101",
    "510104",
    "510104022",
    "43",
    "4301",
]
COUNTY_OR_BELOW = [code for code in REGIONS if len(code) >= 6]


def _can_see(role: str, prefix: str, unit: Organization) -> bool:
    return role in ("commission_staff", "unit_coordinator") and unit.region_id.startswith(prefix)


def _can_edit(role: str, prefix: str, unit: Organization, own_id: int | None) -> bool:
    if role == "commission_staff":
        return unit.region_id.startswith(prefix)
    return role == "unit_coordinator" and unit.pk == own_id


class ScopeIsolationTests(TestCase):
    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        role=st.sampled_from(["commission_staff", "unit_coordinator", "resident"]),
        user_region=st.sampled_from(REGIONS),
        unit_regions=st.lists(st.sampled_from(REGIONS), min_size=1, max_size=6),
    )
    def test_nobody_reads_or_changes_a_record_outside_their_scope(self, role, user_region, unit_regions):
        units = [make_unit(code, f"单位{i}-{code}", kind="agency") for i, code in enumerate(unit_regions)]
        own = None
        if role == "unit_coordinator":
            user_region = (
                user_region
                if len(user_region) >= 6
                else COUNTY_OR_BELOW[len(unit_regions) % len(COUNTY_OR_BELOW)]
            )
            own = make_unit(user_region, "本单位", kind="school")
            units.append(own)
        user = make_user("someone", role, user_region, own)
        self.client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        own_id = own.pk if own else None

        visible = {u.pk for u in units if _can_see(role, user_region, u)}
        api_ids = {
            item["id"] for item in self.client.get("/api/units", {"limit": 100}).json().get("items", [])
        }
        assert api_ids == visible

        if role != "resident":
            sheet = load_workbook(io.BytesIO(self.client.get("/units/export.xlsx").content)).active
            exported = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
            assert exported == {u.name for u in units if u.pk in visible}

        for unit in units:
            seen = unit.pk in visible
            page = self.client.get(f"/units/{unit.pk}/")
            assert page.status_code == (200 if seen else 403 if role == "resident" else 404)
            api_status = self.client.get(f"/api/units/{unit.pk}").status_code
            assert api_status == (200 if seen else 403 if role == "resident" else 404)  # as the page

            editable = _can_edit(role, user_region, unit, own_id)
            form = self.client.post(
                f"/units/{unit.pk}/edit/",
                {"name": unit.name, "kind": unit.kind, "region": unit.region_id, "address": "网页改"},
            )
            api = self.client.patch(
                f"/api/units/{unit.pk}", {"address": "接口改"}, content_type="application/json"
            )
            unit.refresh_from_db()
            if editable:
                assert form.status_code == 302 and api.status_code == 200
                assert unit.address == "接口改"
            else:
                assert form.status_code in (403, 404) and api.status_code in (403, 404)
                assert unit.address == ""
