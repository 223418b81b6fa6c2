"""In English, reference data shows English names and counts read in the singular for one."""

import pytest
from django.utils import translation

from shiliu.exchanges.models import ActivityType
from shiliu.pairings.models import Mechanism
from shiliu.regions.models import EthnicGroup


@pytest.mark.django_db
def test_ethnic_groups_mechanisms_and_activity_types_read_in_english():
    # In English they stayed in Chinese: 藏族, 联席会议, 互访考察.
    from importlib import import_module

    from django.apps import apps

    import_module("shiliu.pairings.migrations.0006_mechanism_english_names").name_in_english(apps, None)
    import_module("shiliu.exchanges.migrations.0012_activity_type_english_names").name_in_english(apps, None)
    tibetan = EthnicGroup.objects.get(code="04")
    meetings = Mechanism.objects.get(name="联席会议")
    visit = ActivityType.objects.get(name="互访考察")
    with translation.override("en"):
        assert (str(tibetan), str(meetings), str(visit)) == ("Zang", "Joint meetings", "Exchange visit")
    with translation.override("zh-hans"):
        assert (str(tibetan), str(meetings), str(visit)) == ("藏族", "联席会议", "互访考察")


@pytest.mark.django_db
def test_an_offer_of_one_day_reads_1_day_in_english(client, login, yangzhou, yz_school):
    # It read "1 days" (and "1 programmes" in the statistics).
    from shiliu.exchanges.menu import services as menu_services
    from shiliu.exchanges.tests.test_menu import offer_data

    offer = menu_services.offer_publish(
        actor=yangzhou, host=yz_school, data=offer_data("走进育才课堂", capacity=1)
    )
    login(yangzhou)
    client.cookies["django_language"] = "en"
    page = client.get(f"/exchanges/menu/offers/{offer.pk}/").content.decode()
    assert "1 day" in page and "1 days" not in page
    assert "up to 1 person" in page and "1 people" not in page
