"""Derived activities (最多报一次): written by the module owning the record, counted once, never edited here."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shiliu.exchanges.ledger import derived
from shiliu.exchanges.ledger import services as ledger_services
from shiliu.exchanges.models import Activity, ActivityType
from shiliu.exchanges.statistics import selectors as statistics_selectors
from shiliu.regions.models import EthnicGroup, Region


@pytest.fixture(autouse=True)
def _source():
    derived.register_source("test_fair", "招聘会", lambda ref: f"/fairs/{ref}/")


def fair(actor, ref=7, **extra):
    data = {
        "kind": "test_fair",
        "ref": ref,
        "actor": actor,
        "title": "新源籍务工人员专场招聘会",
        "activity_type": ActivityType.objects.get(name="互访考察"),
        "start_date": dt.date(2026, 9, 10),
        "end_date": dt.date(2026, 9, 10),
        "plans": {"embedding"},
        "sending_region": Region.objects.get(code="654025"),
        "receiving_region": Region.objects.get(code="3210"),
        "participations": [
            derived.DerivedParticipation("public", EthnicGroup.objects.get(code="05"), "18_35", 40),
            derived.DerivedParticipation("public", EthnicGroup.objects.get(code="17"), "18_35", 25),
        ],
    }
    data.update(extra)
    return derived.derive_activity(**data)


@pytest.mark.django_db
def test_a_derived_activity_is_counted_once_and_updated_in_place(yangzhou, xinyuan, paired):
    first = fair(yangzhou)
    assert first.status == "confirmed" and first.pairing == paired and first.is_derived
    stats = statistics_selectors.activity_stats(user=yangzhou, region="3210")
    assert (stats.batches, stats.person_times) == (1, 65)
    # The source changed: the same activity follows it, participants replaced, nothing doubled.
    again = fair(
        yangzhou,
        participations=[
            derived.DerivedParticipation("public", EthnicGroup.objects.get(code="05"), "18_35", 50)
        ],
    )
    assert again.pk == first.pk and Activity.objects.filter(source_kind="test_fair").count() == 1
    stats = statistics_selectors.activity_stats(user=xinyuan, region="654025")
    assert (stats.batches, stats.person_times) == (1, 50)
    assert derived.withdraw_derived(kind="test_fair", ref=7, actor=yangzhou)
    assert statistics_selectors.activity_stats(user=yangzhou, region="3210").batches == 0


@pytest.mark.django_db
def test_the_ledger_never_edits_confirms_or_cancels_a_derived_activity(yangzhou, xinyuan, paired, login):
    activity = fair(yangzhou)
    assert ledger_services.activity_actions(actor=yangzhou, activity=activity) == frozenset()
    with pytest.raises(PermissionDenied):
        ledger_services.activity_cancel(actor=xinyuan, activity=activity, reason="重复")
    with pytest.raises(PermissionDenied):
        ledger_services.activity_update(actor=yangzhou, activity=activity, data={}, participations=[])
    client = login(yangzhou)
    page = client.get(f"/exchanges/{activity.pk}/")
    text = page.content.decode()
    assert 'data-testid="derived-from"' in text and 'href="/fairs/7/"' in text and "招聘会" in text
    assert f"/exchanges/{activity.pk}/edit/" not in text
    assert client.get(f"/exchanges/{activity.pk}/edit/").status_code == 403


@pytest.mark.django_db
def test_bad_derived_input_saves_nothing(yangzhou):
    with pytest.raises(ValidationError) as error:
        fair(yangzhou, end_date=dt.date(2026, 9, 9))
    assert "end_date" in error.value.message_dict
    with pytest.raises(ValidationError):
        fair(yangzhou, plans=set())
    with pytest.raises(ValidationError):
        fair(
            yangzhou,
            participations=[
                derived.DerivedParticipation("public", EthnicGroup.objects.get(code="05"), "18_35", 0)
            ],
        )
    with pytest.raises(ValueError):
        fair(yangzhou, kind="unknown_kind")
    assert not Activity.objects.exists()
