"""The activity form offers the pairing once both parties are chosen (a choice when several fit), and the pairing
page leads to the form with both parties and the pairing filled in."""

import pytest

from shiliu.exchanges.models import Activity
from shiliu.exchanges.tests.test_pages import form
from shiliu.pairings import services as pairing_services
from shiliu.regions.models import Region


@pytest.fixture
def two_pairings(paired, yangzhou, xinyuan):
    """扬州市 ↔ 新源县 (counterpart support) and a second, co-building pairing between the same two."""
    p = pairing_services.pairing_propose(
        actor=yangzhou, kind="co_building", a_region=Region.objects.get(code="3210"),
        b_region=Region.objects.get(code="654025"),
    )  # fmt: skip
    return paired, pairing_services.pairing_respond(actor=xinyuan, pairing=p, accept=True)


@pytest.mark.django_db
def test_the_pairing_page_leads_to_the_form_with_both_parties_filled_in(client, login, xinyuan, paired):
    login(xinyuan)
    page = client.get(f"/pairings/{paired.pk}/").content.decode()
    assert f'href="/exchanges/new/?pairing={paired.pk}"' in page and "登记交流活动" in page
    page = client.get(f"/exchanges/new/?pairing={paired.pk}").content.decode()
    assert 'value="3210"' in page and 'value="654025"' in page


@pytest.mark.django_db
def test_the_user_picks_the_pairing_when_several_connect_the_parties(client, login, xinyuan, two_pairings):
    first, second = two_pairings
    login(xinyuan)
    page = client.get(f"/exchanges/new/?pairing={second.pk}").content.decode()
    assert '<select name="pairing"' in page and f'<option value="{second.pk}" selected' in page
    response = client.post("/exchanges/new/", form(pairing=str(second.pk)))
    assert response.status_code == 302
    assert Activity.objects.get().pairing == second


@pytest.mark.django_db
def test_htmx_offers_the_pairings_as_soon_as_both_parties_are_chosen(client, login, xinyuan, two_pairings):
    first, second = two_pairings
    login(xinyuan)
    one_side = client.get(
        "/exchanges/new/", {"sending_region": "654025"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert '<select name="pairing"' not in one_side
    both = client.get(
        "/exchanges/new/", {"sending_region": "654025", "receiving_region": "3210"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert (
        '<select name="pairing"' in both and f'value="{first.pk}"' in both and f'value="{second.pk}"' in both
    )
