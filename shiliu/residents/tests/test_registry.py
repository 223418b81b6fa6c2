import base64
import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.http import Http404

from shiliu.lib import crypto
from shiliu.regions.models import Region
from shiliu.residents import selectors, services
from shiliu.residents.models import Consent, Handover, Resident, ResidentStatus

from .conftest import OTHER_ID, XINYUAN_ID

pytestmark = pytest.mark.django_db


def test_it_registers_a_resident_with_the_id_number_encrypted_and_masked(yangzhou, community, register):
    resident = register(yangzhou, community, id_number=XINYUAN_ID, phone="13912345678", needs=["employment"])
    stored = Resident.objects.get(pk=resident.pk)
    assert stored.id_number_masked == "6540**********1231"
    assert XINYUAN_ID not in stored.id_number_encrypted
    assert crypto.decrypt(stored.id_number_encrypted, context="residents.Resident.id_number") == XINYUAN_ID
    assert stored.phone_masked == "139****5678"
    assert stored.needs == ",employment,"
    consent = Consent.objects.get(resident=resident)
    assert consent.scopes == ["identity", "contact", "ethnicity", "household", "profile"]
    assert consent.recorded_by == yangzhou


def test_it_finds_a_resident_by_id_number_through_the_keyed_hash(
    yangzhou, xinyuan, outsider, community, register
):
    resident = register(yangzhou, community, id_number=XINYUAN_ID)
    assert selectors.resident_find_by_id_number(user=yangzhou, id_number=XINYUAN_ID.lower()) == resident
    assert selectors.resident_find_by_id_number(user=xinyuan, id_number=XINYUAN_ID) == resident
    assert selectors.resident_find_by_id_number(user=outsider, id_number=XINYUAN_ID) is None
    assert list(selectors.resident_list(user=yangzhou, query=XINYUAN_ID)) == [resident]


def test_it_refuses_a_second_registration_of_the_same_id_number(
    yangzhou, community, other_community, register
):
    register(yangzhou, community, id_number=XINYUAN_ID)
    with pytest.raises(ValidationError) as exc:
        register(yangzhou, other_community, id_number=XINYUAN_ID)
    assert "id_number" in exc.value.message_dict


def test_it_refuses_a_bad_id_number_and_saves_nothing(yangzhou, community, register):
    with pytest.raises(ValidationError) as exc:
        register(yangzhou, community, id_number="654025199002301230")
    assert "id_number" in exc.value.message_dict
    assert not Resident.objects.exists()


def test_it_stores_no_sensitive_field_without_consent_covering_it(yangzhou, community, register):
    with pytest.raises(ValidationError) as exc:
        register(yangzhou, community, consent=("profile",), id_number=XINYUAN_ID, ethnic_group="17")
    assert set(exc.value.message_dict) == {"id_number", "ethnic_group"}
    assert not Resident.objects.exists()
    with pytest.raises(ValidationError):
        services.resident_register(
            actor=yangzhou,
            data={
                "name": "王",
                "origin_region": Region.objects.get(code="654025"),
                "residence_region": community.region,
                "residence_unit": community,
                "moved_in_on": dt.date(2025, 1, 1),
                "phone": "13912345678",
            },
            consent=None,
        )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"moved_in_on": dt.date(2099, 1, 1)}, "moved_in_on"),
        ({"origin_region": "3210"}, "origin_region"),  # the residence lies in it
        ({"origin_region": "65"}, "origin_region"),  # a province, not a county
        ({"phone": "12345"}, "phone"),
        (
            {"household_members": [{"relation": "子", "name": "小马", "birth_year": 2200}]},
            "household_members",
        ),
    ],
)
def test_it_refuses_bad_input_with_a_message_on_the_field(yangzhou, community, register, change, field):
    if "origin_region" in change:
        change = {"origin_region": Region.objects.get(code=change["origin_region"])}
    with pytest.raises(ValidationError) as exc:
        register(yangzhou, community, **change)
    assert field in exc.value.message_dict
    assert not Resident.objects.exists()


def test_only_the_residence_side_registers(
    xinyuan, community_coordinator, xinyuan_coordinator, community, register
):
    with pytest.raises(PermissionDenied):
        register(xinyuan, community)  # the origin commission does not register in 扬州's communities
    with pytest.raises(PermissionDenied):
        register(xinyuan_coordinator, community)
    assert register(community_coordinator, community).residence_unit == community


def test_withdrawing_consent_erases_what_it_covered_and_keeps_the_rest(yangzhou, community, register):
    resident = register(
        yangzhou,
        community,
        id_number=XINYUAN_ID,
        phone="13912345678",
        ethnic_group="17",
        household_members=[{"relation": "配偶", "name": "马力", "birth_year": 1988}],
        skills="电焊",
        needs=["employment", "schooling"],
    )
    services.consent_record(
        actor=yangzhou,
        resident=resident,
        consent=services.ConsentInput(scopes=["profile"], method="verbal", given_on=dt.date(2025, 4, 1)),
    )
    first = resident.consents.order_by("pk").first()
    services.consent_withdraw(actor=yangzhou, consent=first, withdrawn_on=dt.date(2025, 5, 1), method="paper")
    resident.refresh_from_db()
    first.refresh_from_db()
    assert first.erased == [
        "identity",
        "contact",
        "ethnicity",
        "household",
    ]  # profile stays: the 2nd consent covers it
    assert resident.id_number_encrypted == resident.id_number_hash == resident.id_number_masked == ""
    assert resident.phone_encrypted == resident.phone_masked == ""
    assert resident.ethnic_group is None and resident.household_members == []
    assert resident.skills == "电焊" and resident.needs == ",employment,schooling,"
    assert resident.name == "马阿依古丽" and resident.origin_region_id == "654025"
    # The log names the erased fields, never their values.
    entry = LogEntry.objects.filter(object_pk=str(resident.pk)).order_by("-pk").first()
    assert "ethnic_group" in entry.changes_dict and "17" not in str(entry.changes)
    with pytest.raises(ValidationError):
        services.consent_withdraw(
            actor=yangzhou, consent=first, withdrawn_on=dt.date(2025, 5, 1), method="paper"
        )
    # Without consent, the erased data cannot come back.
    with pytest.raises(ValidationError):
        services.resident_update(actor=yangzhou, resident=resident, data={"id_number": XINYUAN_ID})


def test_the_origin_commission_sees_its_own_residents_elsewhere_read_only(
    yangzhou, xinyuan, outsider, xinyuan_coordinator, resident, community, register
):
    from_xinyuan = register(yangzhou, community)
    from_yangzhou_county = register(
        yangzhou, community, name="张三", origin_region=Region.objects.get(code="654025100")
    )
    other = register(yangzhou, community, name="李四", origin_region=Region.objects.get(code="340302"))
    managed = {r.pk: r.managed for r in selectors.resident_list(user=yangzhou)}
    assert managed == {from_xinyuan.pk: True, from_yangzhou_county.pk: True, other.pk: True}
    seen = {r.pk: r.managed for r in selectors.resident_list(user=xinyuan)}
    assert seen == {from_xinyuan.pk: False, from_yangzhou_county.pk: False}  # not 李四 from 蚌埠
    assert selectors.resident_get(user=xinyuan, pk=from_xinyuan.pk)[1] == selectors.Access.ORIGIN
    for user in (xinyuan, outsider, xinyuan_coordinator, resident):
        with pytest.raises(Http404):
            selectors.resident_managed_get(user=user, pk=from_xinyuan.pk)
    for user in (outsider, xinyuan_coordinator, resident):
        assert not selectors.resident_list(user=user).exists()
        with pytest.raises(Http404):
            selectors.resident_get(user=user, pk=from_xinyuan.pk)
    with pytest.raises(PermissionDenied):
        services.resident_update(actor=xinyuan, resident=from_xinyuan, data={"name": "改"})
    with pytest.raises(PermissionDenied):
        services.resident_reveal(actor=xinyuan, resident=from_xinyuan, field="phone", reason="核实")


def test_showing_the_full_id_number_needs_a_reason_and_is_logged(yangzhou, community, register):
    resident = register(yangzhou, community, id_number=XINYUAN_ID)
    with pytest.raises(ValidationError):
        services.resident_reveal(actor=yangzhou, resident=resident, field="id_number", reason=" ")
    number = services.resident_reveal(
        actor=yangzhou, resident=resident, field="id_number", reason="办理就业登记"
    )
    assert number == XINYUAN_ID
    entry = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, object_pk=str(resident.pk)).latest("pk")
    assert entry.actor == yangzhou
    assert entry.additional_data["purpose"] == "办理就业登记"
    assert entry.additional_data["field"] == "id_number"
    assert XINYUAN_ID not in str(entry.changes)


def test_a_resident_who_moves_on_is_handed_over_and_the_history_kept(
    yangzhou, xinyuan, community, other_community, community_coordinator, register
):
    from conftest import make_unit, make_user

    resident = register(yangzhou, community, id_number=XINYUAN_ID)
    target = make_unit("654025100201", "新源镇某社区", kind="community")
    xinyuan_target = Region.objects.filter(code__startswith="6540251", level="village").exclude(
        code=target.region_id
    )
    del xinyuan_target
    # Moving within 扬州: 琼花观 → 个园, accepted by 个园's coordinator.
    gy_coordinator = make_user("geyuan", "unit_coordinator", "321002", other_community)
    handover = services.handover_start(
        actor=community_coordinator,
        resident=resident,
        to_region=other_community.region,
        to_unit=other_community,
        reason="租房搬迁",
    )
    resident.refresh_from_db()
    assert resident.status == ResidentStatus.MOVING
    assert selectors.handover_get_incoming(user=gy_coordinator, pk=handover.pk) == handover
    with pytest.raises(Http404):
        selectors.handover_get_incoming(user=community_coordinator, pk=handover.pk)
    with pytest.raises(PermissionDenied):
        services.handover_accept(actor=community_coordinator, handover=handover)
    services.handover_accept(actor=gy_coordinator, handover=handover)
    resident.refresh_from_db()
    assert resident.residence_unit == other_community and resident.status == ResidentStatus.ACTIVE
    assert selectors.resident_access(user=community_coordinator, resident=resident) is None
    assert selectors.resident_access(user=gy_coordinator, resident=resident) == selectors.Access.MANAGE
    assert [h.status for h in selectors.resident_history(resident=resident)] == ["accepted"]
    # A handover back into the origin county is refused: that is a return home.
    with pytest.raises(ValidationError):
        services.handover_start(
            actor=yangzhou, resident=resident, to_region=target.region, to_unit=target, reason="返乡"
        )
    assert Handover.objects.count() == 1


def test_a_declined_handover_leaves_the_resident_where_they_are(
    yangzhou, community, other_community, register
):
    from conftest import make_user

    resident = register(yangzhou, community)
    handover = services.handover_start(
        actor=yangzhou,
        resident=resident,
        to_region=other_community.region,
        to_unit=other_community,
        reason="搬迁",
    )
    receiver = make_user("geyuan", "unit_coordinator", "321002", other_community)
    with pytest.raises(ValidationError):
        services.handover_decline(actor=receiver, handover=handover, reason="")
    services.handover_decline(actor=receiver, handover=handover, reason="查无此人")
    resident.refresh_from_db()
    assert resident.residence_unit == community and resident.status == ResidentStatus.ACTIVE


def test_rotation_re_encrypts_every_value_with_the_newest_key(settings, yangzhou, community, register):
    resident = register(yangzhou, community, id_number=XINYUAN_ID, phone="13912345678")
    other = register(yangzhou, community, name="张三", id_number=OTHER_ID)
    old_hash = Resident.objects.get(pk=resident.pk).id_number_hash
    new_key = base64.b64encode(b"n" * 32).decode()
    settings.SHILIU_FIELD_KEYS = f"new:{new_key},{settings.SHILIU_FIELD_KEYS}"
    call_command("rotate_field_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115
    for row in Resident.objects.filter(pk__in=[resident.pk, other.pk]):
        assert crypto.key_id_of(row.id_number_encrypted) == "new"
    stored = Resident.objects.get(pk=resident.pk)
    assert crypto.key_id_of(stored.phone_encrypted) == "new"
    settings.SHILIU_FIELD_KEYS = f"new:{new_key}"  # the old key is gone: everything still reads
    assert crypto.decrypt(stored.id_number_encrypted, context="residents.Resident.id_number") == XINYUAN_ID
    assert stored.id_number_hash == old_hash
    settings.SHILIU_FIELD_HASH_KEY = "a-new-hash-key-for-the-blind-index-0123456789"
    call_command("rotate_field_keys", "--rehash", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert selectors.resident_find_by_id_number(user=yangzhou, id_number=XINYUAN_ID) == resident
