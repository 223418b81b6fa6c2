import pytest

FORM_PAGES = [
    "/pairings/new/",
    "/pairings/propose/",
    "/pairings/coverage/",
    "/exchanges/new/",
    "/exchanges/menu/offers/new/",
    "/exchanges/menu/packages/new/",
    "/exchanges/penpals/new/",
    "/exchanges/online/new/",
    "/exchanges/routes/new/",
    "/exchanges/tours/new/",
    "/units/new/",
    "/audit/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", FORM_PAGES)
def test_empty_selects_read_a_chinese_placeholder_not_dashes(client, login, yangzhou, url):
    # Empty selects read Django's "---------".
    login(yangzhou)
    response = client.get(url)
    if response.status_code == 403:  # a page for another role
        pytest.skip(f"{url} is not for commission staff")
    assert response.status_code == 200
    page = response.content.decode()
    assert "---------" not in page
