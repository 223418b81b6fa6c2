"""Commissions onboard themselves: invitations, their one-time links, bulk coordinators and local management."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import make_unit
from shiliu.accounts.models import Invitation, User
from shiliu.accounts.onboarding import bulk, services
from shiliu.lib import messaging
from shiliu.orgs.models import Organization
from shiliu.regions.models import Region

BASE = "http://testserver/"
GOOD_PASSWORD = "pomegranate-seeds-2026"  # noqa: S105


_capture: Any = None


@pytest.fixture(autouse=True)
def _on_commit(django_capture_on_commit_callbacks: Any) -> None:
    global _capture
    _capture = django_capture_on_commit_callbacks


def _sent(function: Any, **kwargs: Any) -> Any:
    """Call a service that sends its message once its transaction commits; a test runs inside one transaction that
    never commits, so run the callbacks the service left (a rolled-back block leaves none)."""
    with _capture(execute=True):
        return function(**kwargs)


def _link_key(message: messaging.Message) -> str:
    match = re.search(r"/accounts/invitation/([^/]+)/", message.body)
    assert match, message.body
    return match.group(1)


def _invite_staff(actor: Any, address: str = "li@xinyuan.gov.cn") -> tuple[Invitation, str]:
    invitation = _sent(
        services.commission_onboard,
        actor=actor,
        region=Region.objects.get(code="654025"),
        unit_name="",
        address=address,
        display_name="李明",
        link_base=BASE,
    )
    return invitation, _link_key(messaging.outbox[-1])


def test_it_creates_a_commission_and_invites_its_first_staff_member(admin_user):
    invitation, key = _invite_staff(admin_user)
    assert Organization.objects.get(region_id="654025", kind="commission").name == "新源县民族事务委员会"
    assert invitation.role == "commission_staff" and invitation.region_id == "654025"
    assert messaging.outbox[-1].to == "li@xinyuan.gov.cn"
    # Only the hash of the link is stored.
    assert (
        key not in invitation.key_hash
        and Invitation.objects.filter(key_hash=Invitation.hash_key(key)).exists()
    )
    assert LogEntry.objects.get_for_object(invitation).filter(action=LogEntry.Action.CREATE).exists()


def test_a_province_commission_onboards_a_county_under_it_but_not_beside_it(db):
    from conftest import make_user

    xinjiang = make_user("xinjiang", "commission_staff", "65")
    _invite_staff(xinjiang)
    with pytest.raises(PermissionDenied):
        services.commission_onboard(
            actor=xinjiang, region=Region.objects.get(code="3210"), unit_name="", address="a@b.cn",
            display_name="x", link_base=BASE,
        )  # fmt: skip
    assert not Invitation.objects.filter(address="a@b.cn").exists()


def test_accepting_makes_the_account_and_sends_staff_to_their_second_factor(client, admin_user):
    _invitation, key = _invite_staff(admin_user)
    url = reverse("accounts:invitation_accept", args=[key])
    page = client.get(url).content.decode()  # the page says what the link is for before anything is set
    assert "新源县 (654025)" in page
    response = client.post(url, {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:otp_setup")
    user = User.objects.get(username="li@xinyuan.gov.cn")
    assert (
        user.role == "commission_staff" and user.region_id == "654025" and user.email == "li@xinyuan.gov.cn"
    )
    assert client.get(reverse("accounts:otp_setup")).status_code == 200
    assert TOTPDevice.objects.filter(user=user, confirmed=False).exists()


def test_a_link_used_twice_is_refused_in_chinese_and_makes_nothing(client, admin_user):
    _invitation, key = _invite_staff(admin_user)
    url = reverse("accounts:invitation_accept", args=[key])
    client.post(url, {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD})
    client.logout()
    response = client.post(url, {"password1": "another-pass-2026", "password2": "another-pass-2026"})
    assert response.status_code == 410
    assert "此邀请已被使用" in response.content.decode()
    assert User.objects.filter(username="li@xinyuan.gov.cn").count() == 1
    assert User.objects.get(username="li@xinyuan.gov.cn").check_password(GOOD_PASSWORD)


def test_an_expired_link_is_refused(client, admin_user):
    invitation, key = _invite_staff(admin_user)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    url = reverse("accounts:invitation_accept", args=[key])
    response = client.post(url, {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD})
    assert response.status_code == 410 and "已过期" in response.content.decode()
    assert not User.objects.filter(username="li@xinyuan.gov.cn").exists()


def test_a_resent_invitation_kills_the_old_link(client, admin_user):
    invitation, old = _invite_staff(admin_user)
    _sent(services.invitation_resend, actor=admin_user, invitation=invitation, link_base=BASE)
    new = _link_key(messaging.outbox[-1])
    assert client.get(reverse("accounts:invitation_accept", args=[old])).status_code == 410
    assert client.get(reverse("accounts:invitation_accept", args=[new])).status_code == 200


def test_a_weak_password_is_refused_with_the_rules(client, admin_user):
    _invitation, key = _invite_staff(admin_user)
    response = client.post(
        reverse("accounts:invitation_accept", args=[key]), {"password1": "12345678", "password2": "12345678"}
    )
    assert response.status_code == 400 and not User.objects.filter(username="li@xinyuan.gov.cn").exists()


def test_an_address_already_registered_is_not_invited(admin_user, xinyuan):
    xinyuan.email = "li@xinyuan.gov.cn"
    xinyuan.save()
    with pytest.raises(ValidationError) as info:
        _invite_staff(admin_user)
    assert "已有账户" in str(info.value)
    assert not Invitation.objects.exists() and not messaging.outbox


def test_staff_invite_coordinators_in_bulk_all_or_nothing(xinyuan, xy_school, xy_hospital):
    bad = bulk.lines_from_text(
        "新源县第一中学，张老师，13812345678\n新源县人民医院，王医生，not-an-address\n扬州市育才小学，赵老师，13912345678"
    )
    with pytest.raises(ValidationError) as info:
        _sent(bulk.coordinators_invite, actor=xinyuan, lines=bad, link_base=BASE)
    text = " ".join(info.value.messages)
    assert "第 2 行" in text and "第 3 行" in text
    assert not Invitation.objects.exists() and not messaging.outbox
    good = bulk.lines_from_text(
        "新源县第一中学，张老师，13812345678\n新源县人民医院，王医生，wang@example.cn"
    )
    sent = _sent(bulk.coordinators_invite, actor=xinyuan, lines=good, link_base=BASE)
    assert [i.organization for i in sent] == [xy_school, xy_hospital]
    assert [m.channel for m in messaging.outbox] == ["sms", "email"]


def test_a_coordinator_invited_from_an_excel_list(xinyuan, xy_school):
    import io

    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(list(bulk.HEADERS))
    wb.active.append(["新源县第一中学", "张老师", "13812345678"])
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "list.xlsx"
    lines = bulk.lines_from_workbook(buffer)
    assert [(line.number, line.unit) for line in lines] == [(2, "新源县第一中学")]


def test_a_coordinator_hands_over_to_a_successor_and_history_stays(client, xinyuan, xinyuan_coordinator):
    invitation = _sent(
        services.coordinator_hand_over,
        actor=xinyuan,
        account=xinyuan_coordinator,
        address="13700000000",
        display_name="新老师",
        link_base=BASE,
    )
    xinyuan_coordinator.refresh_from_db()
    assert not xinyuan_coordinator.is_active
    assert (
        invitation.replaces == xinyuan_coordinator
        and invitation.organization == xinyuan_coordinator.organization
    )
    key = _link_key(messaging.outbox[-1])
    client.post(
        reverse("accounts:invitation_accept", args=[key]),
        {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD},
    )
    successor = User.objects.get(username="13700000000")
    assert successor.organization == xinyuan_coordinator.organization and successor.is_active


def test_staff_manage_accounts_inside_their_jurisdiction_only(
    xinyuan, yangzhou, xinyuan_coordinator, xy_hospital
):
    updated = services.account_update(
        actor=xinyuan,
        account=xinyuan_coordinator,
        role="unit_coordinator",
        organization=xy_hospital,
        is_active=True,
    )
    assert updated.organization == xy_hospital
    yz_unit = make_unit("321002", "扬州市某中学")
    with pytest.raises(PermissionDenied) as info:
        services.account_update(
            actor=xinyuan, account=yangzhou, role="unit_coordinator", organization=yz_unit, is_active=False
        )
    assert "不在您的管辖范围" in str(info.value)
    yangzhou.refresh_from_db()
    assert yangzhou.is_active and yangzhou.role == "commission_staff"


def test_a_county_cannot_manage_its_prefecture_above(db):
    from conftest import make_user

    yili = make_user("yili", "commission_staff", "6540")
    xinyuan = make_user("xy", "commission_staff", "654025")
    with pytest.raises(PermissionDenied):
        services.account_update(
            actor=xinyuan, account=yili, role="commission_staff", organization=None, is_active=False
        )
    # and the page answers 404 for it
    assert (
        services.account_update(
            actor=yili, account=xinyuan, role="commission_staff", organization=None, is_active=False
        ).is_active
        is False
    )


def test_the_account_page_of_an_outsider_is_not_found(login, xinyuan, yangzhou):
    client = login(xinyuan)
    assert client.get(reverse("accounts:person", args=[yangzhou.pk])).status_code == 404
    response = client.post(
        reverse("accounts:person", args=[yangzhou.pk]), {"action": "update", "role": "unit_coordinator"}
    )
    assert response.status_code == 404


def test_a_second_factor_reset_needs_a_reason_and_is_logged(xinyuan, db):
    from conftest import make_user

    colleague = make_user("xy-colleague", "commission_staff", "654025")
    TOTPDevice.objects.create(user=colleague, name="phone", confirmed=True)
    with pytest.raises(ValidationError):
        services.account_reset_second_factor(actor=xinyuan, account=colleague, reason="")
    assert TOTPDevice.objects.filter(user=colleague).exists()
    services.account_reset_second_factor(actor=xinyuan, account=colleague, reason="手机丢失，已电话核实")
    assert not TOTPDevice.objects.filter(user=colleague).exists()
    entry = LogEntry.objects.get_for_object(colleague).latest("timestamp")
    assert entry.additional_data["reason"] == "手机丢失，已电话核实" and entry.actor == xinyuan


def test_coordinators_reach_no_management_page(login, xinyuan_coordinator):
    client = login(xinyuan_coordinator)
    for name in (
        "accounts:people",
        "accounts:invitations",
        "accounts:coordinators_invite",
        "accounts:commission_new",
    ):
        assert client.get(reverse(name)).status_code == 403


def test_the_pages_answer_for_staff(login, xinyuan, xinyuan_coordinator):
    client = login(xinyuan)
    assert "新源县第一中学" in client.get(reverse("accounts:people")).content.decode()
    assert client.get(reverse("accounts:person", args=[xinyuan_coordinator.pk])).status_code == 200
    assert client.get(reverse("accounts:invitations")).status_code == 200
    response = client.post(
        reverse("accounts:coordinators_invite"), {"lines": "新源县第一中学，张老师，13812345678"}
    )
    assert response.status_code == 302
    assert "13812345678" in client.get(reverse("accounts:invitations")).content.decode()


def test_the_coordinators_template_has_the_list_columns(login, xinyuan):
    import io

    from openpyxl import load_workbook

    content = login(xinyuan).get(reverse("accounts:coordinators_template")).content
    sheet = load_workbook(io.BytesIO(content)).active
    assert tuple(next(sheet.iter_rows(values_only=True))) == bulk.HEADERS


def test_staff_invite_a_colleague_with_their_own_jurisdiction(login, xinyuan):
    client = login(xinyuan)
    response = client.post(
        reverse("accounts:colleague_invite"), {"display_name": "马", "address": "ma@xinyuan.gov.cn"}
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get(address="ma@xinyuan.gov.cn")
    assert invitation.role == "commission_staff" and invitation.region_id == "654025"


def test_an_invitation_rolled_back_sends_no_link(xinyuan, xy_school):
    from django.db import transaction

    class Later(Exception):
        pass

    with _capture(execute=True), pytest.raises(Later), transaction.atomic():
        services.invitation_create(
            actor=xinyuan, address="13811112222", role="unit_coordinator", organization=xy_school,
            display_name="张", link_base=BASE,
        )  # fmt: skip
        raise Later  # a later step of the same change fails: the invitation is gone, so must its link be
    assert not Invitation.objects.exists() and not messaging.outbox


def test_a_refused_delivery_is_kept_on_the_invitation_and_shown(settings, login, xinyuan, xy_school):
    settings.SHILIU_MESSAGE_BACKEND = "shiliu.lib.messaging.EmailBackend"  # it cannot send text messages
    client = login(xinyuan)
    with _capture(execute=True):
        client.post(reverse("accounts:coordinators_invite"), {"lines": "新源县第一中学，张老师，13812345678"})
    invitation = Invitation.objects.get()  # saved, and why it did not leave is kept
    assert invitation.delivery_error == "本平台未配置短信发送，请改用邮箱邀请。" and not messaging.outbox
    listed = client.get(reverse("accounts:invitations")).content.decode()
    assert 'data-testid="delivery-error"' in listed and "未送达" in listed and "请改用邮箱邀请" in listed
    # Resent to an address the backend can reach, the mark goes.
    settings.SHILIU_MESSAGE_BACKEND = "shiliu.lib.messaging.LocmemBackend"
    with _capture(execute=True):
        services.invitation_resend(actor=xinyuan, invitation=invitation, link_base=BASE)
    invitation.refresh_from_db()
    assert invitation.delivery_error == "" and len(messaging.outbox) == 1
