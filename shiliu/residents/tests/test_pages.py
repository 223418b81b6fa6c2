import io

import pytest
from auditlog.models import LogEntry
from openpyxl import load_workbook

from conftest import exported
from shiliu.residents.models import Consent, Resident

from .conftest import XINYUAN_ID

pytestmark = pytest.mark.django_db


def _form(community, **extra):
    return {
        "name": "马阿依古丽",
        "origin_region": "654025",
        "community": community.pk,
        "moved_in_on": "2025-03-01",
        "consent_scopes": ["identity", "contact", "profile"],
        "consent_method": "paper",
        "consent_given_on": "2025-03-01",
        "consent_note": "纸质 001",
        "id_number": XINYUAN_ID,
        "phone": "13912345678",
        "household": "配偶 马力 1988\n子 马小力 2015",
        "skills": "电焊",
        "language": "哈萨克语、国家通用语言",
        "needs": ["employment", "schooling"],
        **extra,
    }


def test_it_registers_from_the_page_and_shows_the_numbers_masked(login, yangzhou, community):
    client = login(yangzhou)
    response = client.post("/residents/new/", _form(community, household=""))
    assert response.status_code == 302, response.content.decode()[:2000]
    resident = Resident.objects.get()
    page = client.get(f"/residents/{resident.pk}/").content.decode()
    assert "6540**********1231" in page and XINYUAN_ID not in page
    assert "139****5678" in page
    assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS, object_pk=str(resident.pk)).exists()


def test_the_form_says_in_chinese_what_is_wrong_and_saves_nothing(login, yangzhou, community):
    client = login(yangzhou)
    response = client.post(
        "/residents/new/",
        _form(community, id_number="654025199002301230", household="配偶", ethnic_group="17"),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "身份证号码中的出生日期（1990-02-30）不存在" in page
    assert "第1行" in page
    assert not Resident.objects.exists()
    response = client.post("/residents/new/", _form(community, ethnic_group="17"))
    assert response.status_code == 400
    assert "居民的同意不包括此项（民族）" in response.content.decode()


def test_revealing_needs_a_reason_and_shows_the_number_once(login, yangzhou, community, register):
    resident = register(yangzhou, community, id_number=XINYUAN_ID)
    client = login(yangzhou)
    response = client.post(f"/residents/{resident.pk}/reveal/", {"field": "id_number", "reason": ""})
    assert response.status_code == 400 and XINYUAN_ID not in response.content.decode()
    response = client.post(f"/residents/{resident.pk}/reveal/", {"field": "id_number", "reason": "就业登记"})
    assert XINYUAN_ID in response.content.decode()
    assert XINYUAN_ID not in client.get(f"/residents/{resident.pk}/").content.decode()


def test_the_origin_commission_reads_a_few_fields_and_others_get_404(
    login, yangzhou, xinyuan, outsider, resident, community, register
):
    person = register(yangzhou, community, id_number=XINYUAN_ID, phone="13912345678", skills="电焊")
    page = login(xinyuan).get(f"/residents/{person.pk}/").content.decode()
    assert "马阿依古丽" in page and "琼花观社区" in page
    assert "6540**" not in page and "139****" not in page and "电焊" not in page
    for path in ("edit/", "consents/new/", "handover/"):
        assert login(xinyuan).get(f"/residents/{person.pk}/{path}").status_code == 404
    assert (
        login(xinyuan).post(f"/residents/{person.pk}/reveal/", {"field": "phone", "reason": "x"}).status_code
        == 404
    )
    assert login(outsider).get(f"/residents/{person.pk}/").status_code == 404
    assert login(resident).get("/residents/").status_code == 403


def test_withdrawal_confirms_what_is_erased_and_kept(login, yangzhou, community, register):
    person = register(yangzhou, community, id_number=XINYUAN_ID, consent=("identity",))
    consent = Consent.objects.get(resident=person)
    client = login(yangzhou)
    page = client.get(f"/residents/{person.pk}/consents/{consent.pk}/withdraw/").content.decode()
    assert "立即删除" in page and "身份证号码" in page
    response = client.post(
        f"/residents/{person.pk}/consents/{consent.pk}/withdraw/",
        {"method": "paper", "withdrawn_on": "2025-06-01"},
    )
    assert response.status_code == 400  # not confirmed
    response = client.post(
        f"/residents/{person.pk}/consents/{consent.pk}/withdraw/",
        {"method": "paper", "withdrawn_on": "2025-06-01", "confirm": "on"},
        follow=True,
    )
    assert "已删除" in response.content.decode()
    person.refresh_from_db()
    assert person.id_number_masked == ""


def test_the_export_is_scoped_and_masked(login, yangzhou, xinyuan, community, register):
    register(yangzhou, community, id_number=XINYUAN_ID, phone="13912345678")
    rows = list(
        load_workbook(io.BytesIO(exported(login(yangzhou), "/residents/export.xlsx").content)).active.values
    )
    assert rows[1][0] == "马阿依古丽" and rows[1][7] == "6540**********1231" and rows[1][8] == "139****5678"
    rows = list(
        load_workbook(io.BytesIO(exported(login(xinyuan), "/residents/export.xlsx").content)).active.values
    )
    assert rows[1][0] == "马阿依古丽" and not any(rows[1][7:])
    assert login(xinyuan).get("/residents/export.xlsx", {"status": "nonsense"}).status_code == 400


def test_the_handover_is_accepted_by_the_next_community(
    login, yangzhou, community, other_community, register
):
    from conftest import make_user

    person = register(yangzhou, community)
    client = login(yangzhou)
    response = client.post(
        f"/residents/{person.pk}/handover/",
        {"to_region": other_community.region_id, "reason": "搬家"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    receiver = make_user("geyuan", "unit_coordinator", "321002", other_community)
    receiving = login(receiver)
    assert "马阿依古丽" in receiving.get("/residents/").content.decode()
    handover = person.handovers.get()
    response = receiving.post(f"/residents/handovers/{handover.pk}/", {"decision": "accept"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.residence_unit == other_community


def test_the_registry_is_in_the_navigation_for_staff_but_not_for_residents(login, yangzhou, resident):
    assert 'href="/residents/"' in login(yangzhou).get("/").content.decode()
    assert 'href="/residents/"' not in login(resident).get("/").content.decode()


def test_the_audit_log_never_holds_a_protected_number(login, yangzhou, admin_user, community, register):
    person = register(yangzhou, community, id_number=XINYUAN_ID, phone="13912345678")
    services_reason = "核实身份"
    login(yangzhou).post(f"/residents/{person.pk}/reveal/", {"field": "id_number", "reason": services_reason})
    page = login(admin_user).get("/audit/").content.decode()
    assert services_reason in page or "查看" in page
    for secret in (XINYUAN_ID, "13912345678", person.id_number_encrypted[:20], person.id_number_hash[:16]):
        assert secret not in page
    assert not any(
        XINYUAN_ID in str(e.changes) or "13912345678" in str(e.changes) for e in LogEntry.objects.all()
    )
