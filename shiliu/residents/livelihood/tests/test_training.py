import datetime as dt
import subprocess

import pytest
from django.core.exceptions import ValidationError

from conftest import make_user
from shiliu.lib import clock
from shiliu.residents.livelihood import selectors, services
from shiliu.residents.livelihood.models import Attendance, Enrolment, TrainingClass

pytestmark = pytest.mark.django_db


def test_it_refuses_a_class_whose_dates_are_out_of_order(teacher, site):
    today = clock.today()
    with pytest.raises(ValidationError) as exc:
        services.class_create(
            actor=teacher,
            data={
                "title": "x",
                "site": site,
                "kind": "skills",
                "starts_on": today,
                "ends_on": today - dt.timedelta(days=1),
            },
        )
    assert "ends_on" in exc.value.message_dict
    assert not TrainingClass.objects.exists()


def test_a_duplicate_enrolment_is_refused_on_the_page(login, klass, resident):
    client = login(resident)
    assert client.post(f"/livelihood/training/{klass.pk}/enrol/").status_code == 302
    response = client.post(
        f"/livelihood/training/{klass.pk}/enrol/", follow=True, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert "您已报名该培训班，不能重复报名" in response.content.decode()
    assert Enrolment.objects.count() == 1


def test_a_full_class_refuses_more_learners(klass, resident):
    services.enrol(actor=resident, klass=klass)
    services.enrol(actor=make_user("r2", "resident", "654025"), klass=klass)
    with pytest.raises(ValidationError, match="full|已满"):
        services.enrol(actor=make_user("r3", "resident", "654025"), klass=klass)


def test_scanning_the_session_code_records_attendance_once(login, klass, session_today, resident):
    services.enrol(actor=resident, klass=klass)
    client = login(resident)
    assert client.get(f"/livelihood/attend/{session_today.token}/").status_code == 200
    assert client.post(f"/livelihood/attend/{session_today.token}/").status_code == 200
    assert client.post(f"/livelihood/attend/{session_today.token}/").status_code == 200
    assert Attendance.objects.filter(method="qr").count() == 1


def test_attendance_after_the_class_ended_is_refused(klass, session_today, resident, teacher, monkeypatch):
    enrolment = services.enrol(actor=resident, klass=klass)
    monkeypatch.setattr(clock, "today", lambda: klass.ends_on + dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="ended|已结束"):
        services.attend_by_code(actor=resident, token=session_today.token)
    with pytest.raises(ValidationError, match="ended|已结束"):
        services.attendance_mark(actor=teacher, session=session_today, enrolments=[enrolment])
    assert not Attendance.objects.exists()


def test_someone_not_enrolled_cannot_sign_in(login, klass, session_today, resident):
    response = login(resident).post(
        f"/livelihood/attend/{session_today.token}/", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 400 and "您未报名该培训班" in response.content.decode()


def test_completion_issues_a_certificate_pdf_that_the_public_page_verifies(
    client, login, klass, session_today, resident, teacher, tmp_path
):
    enrolment = services.enrol(actor=resident, klass=klass)
    services.attendance_mark(actor=teacher, session=session_today, enrolments=[enrolment])
    services.enrolment_complete(actor=teacher, enrolment=enrolment)
    enrolment.refresh_from_db()
    assert len(enrolment.certificate_code) == 10
    response = login(resident).get(f"/livelihood/training/enrolments/{enrolment.pk}/certificate.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    pdf = tmp_path / "c.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert enrolment.certificate_code in text and "结业证书" in text.replace(" ", "")
    client.logout()
    ok = client.get(
        f"/livelihood/verify/?code={enrolment.certificate_code.lower()}", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert "该证书真实有效" in ok.content.decode()
    bad = client.get("/livelihood/verify/?code=NOTACODE12", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "没有与该验证码对应的证书" in bad.content.decode()


def test_another_residents_certificate_and_another_regions_class_are_404(
    login, klass, session_today, resident, teacher, outsider
):
    enrolment = services.enrol(actor=resident, klass=klass)
    services.attendance_mark(actor=teacher, session=session_today, enrolments=[enrolment])
    services.enrolment_complete(actor=teacher, enrolment=enrolment)
    other = make_user("r9", "resident", "654025")
    assert (
        login(other).get(f"/livelihood/training/enrolments/{enrolment.pk}/certificate.pdf").status_code == 404
    )
    assert login(outsider).get(f"/livelihood/training/{klass.pk}/").status_code == 404
    assert login(outsider).get(f"/livelihood/training/sessions/{session_today.pk}/").status_code == 404
    assert not selectors.class_list(user=outsider).exists()


def test_training_statistics_count_person_times_and_completions(
    klass, session_today, resident, teacher, yangzhou
):
    enrolment = services.enrol(actor=resident, klass=klass)
    services.attendance_mark(actor=teacher, session=session_today, enrolments=[enrolment])
    services.enrolment_complete(actor=teacher, enrolment=enrolment)
    [row] = selectors.training_statistics(user=yangzhou)
    assert (row["classes"], row["enrolled"], row["attendance"], row["completed"]) == (1, 1, 1, 1)
