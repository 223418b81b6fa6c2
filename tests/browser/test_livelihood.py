"""Livelihood services in Chromium at 375 px (a phone): a resident from 新源 applies for a job in 扬州 from the home
page's main tasks, enrols in a class, signs in by opening the session's QR link, and downloads the certificate (the
PDF is turned into a PNG and checked not blank, and its code checked on the public page); a volunteer logs hours
(a date in the future is refused), the leader approves them, and a staff member sees the statistics change."""

import datetime as dt
import subprocess
from pathlib import Path

from PIL import Image

from conftest import make_unit, make_user
from shiliu.lib import clock
from shiliu.regions.models import Region
from shiliu.residents.livelihood import services
from shiliu.residents.livelihood.models import Application, Attendance, Enrolment
from tests.browser.conftest import SCREENSHOTS, log_in

PHONE = {"width": 375, "height": 812}


def _phone(browser):
    return browser.new_context(locale="zh-CN", viewport=PHONE)


def test_a_resident_applies_enrols_signs_in_and_downloads_the_certificate(browser, world, shot, tmp_path):
    url = world["url"]
    enterprise = make_unit("321002", "扬州宝胜电缆有限公司", kind="enterprise")
    employer = make_user("baosheng", "unit_coordinator", "321002", enterprise)
    site = make_unit("321002", "扬州市职业技能公共实训基地")
    teacher = make_user("trainer", "unit_coordinator", "321002", site)
    make_user("resident", "resident", "654025")
    today = clock.today()
    job = services.job_create(
        actor=employer,
        data={
            "employer": enterprise, "title": "电缆装配工", "occupation": "6", "place": "扬州市广陵区", "wage_min": 5500,
            "wage_max": 7500, "hours": "每天8小时", "housing": True, "meals": True, "openings": 10,
            "closes_on": today + dt.timedelta(days=30),
        },
        recruit_from=[Region.objects.get(code="654025")],
    )  # fmt: skip
    klass = services.class_create(
        actor=teacher,
        data={"title": "电工技能培训班", "site": site, "kind": "skills", "starts_on": today, "ends_on": today + dt.timedelta(days=9), "teacher": teacher},
    )  # fmt: skip
    session = services.session_add(
        actor=teacher,
        klass=klass,
        data={"held_on": today, "starts_at": dt.time(9), "ends_at": dt.time(11), "topic": "安全用电"},
    )

    phone = _phone(browser)
    page = phone.new_page()
    log_in(page, url, "resident")
    page.get_by_role("link", name="找工作").first.click()
    page.get_by_role("link", name="电缆装配工").click()
    page.fill("#id_note", "有三年装配经验")
    page.get_by_test_id("apply").click()
    page.get_by_test_id("applications").wait_for()
    assert "等待用人单位答复" in page.get_by_test_id("applications").inner_text()
    shot(page, "150-livelihood-applied-375")
    assert Application.objects.get(job=job).origin_region_id == "654025"

    page.goto(f"{url}/")
    page.get_by_role("link", name="培训班").first.click()
    page.get_by_role("link", name="电工技能培训班").click()
    page.get_by_test_id("enrol").click()
    page.get_by_test_id("enrolled").wait_for()
    page.get_by_test_id("enrol").wait_for(state="detached")
    # A second tap (another tab, a double submit) is refused with the message, nothing saved twice.
    assert Enrolment.objects.filter(training_class=klass).count() == 1

    page.goto(f"{url}/livelihood/attend/{session.token}/")  # what scanning the session's QR code opens
    page.get_by_test_id("sign-in").click()
    page.get_by_test_id("attended").wait_for()
    shot(page, "151-livelihood-signed-in-375")
    assert Attendance.objects.get().method == "qr"

    enrolment = Enrolment.objects.get()
    services.enrolment_complete(actor=teacher, enrolment=enrolment)
    enrolment.refresh_from_db()
    page.goto(f"{url}/livelihood/training/mine/")
    with page.expect_download() as download:
        page.get_by_test_id("certificate").first.click()
    pdf = tmp_path / "certificate.pdf"
    download.value.save_as(str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-singlefile", str(pdf), str(tmp_path / "certificate")], check=True
    )
    png = tmp_path / "certificate.png"
    image = Image.open(png).convert("L")
    dark = sum(image.histogram()[:200])  # pixels darker than the paper
    assert dark > 0.01 * image.width * image.height, "the certificate renders blank"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    Path(SCREENSHOTS / "152-livelihood-certificate.png").write_bytes(png.read_bytes())
    phone.close()

    public = _phone(browser)
    page = public.new_page()
    page.goto(f"{url}/livelihood/verify/")
    page.fill("#id_code", enrolment.certificate_code.lower())
    page.get_by_role("button", name="查验").click()
    page.get_by_test_id("certificate-valid").wait_for()
    shot(page, "153-livelihood-verify-375")
    public.close()


def test_a_volunteer_logs_hours_the_leader_approves_and_staff_see_the_statistics(browser, world, shot):
    url = world["url"]
    leader = make_user("leader", "resident", "321002")
    volunteer = make_user("volunteer", "resident", "321002")
    team = services.team_create(
        actor=world["yangzhou"],
        data={"name": "琼花石榴红志愿服务队", "region": Region.objects.get(code="321002"), "leader": leader},
        members=[volunteer],
    )

    phone = _phone(browser)
    page = phone.new_page()
    log_in(page, url, "volunteer")
    page.get_by_role("link", name="志愿服务").first.click()
    page.get_by_role("link", name="琼花石榴红志愿服务队").click()
    page.fill("#id_served_on", (clock.today() + dt.timedelta(days=1)).isoformat())
    page.fill("#id_hours", "3")
    page.fill("#id_beneficiaries", "12")
    page.fill("#id_description", "为社区老人理发")
    page.get_by_test_id("log-hours").click()
    errors = page.get_by_test_id("form-errors")
    errors.wait_for()
    assert "日期晚于今天" in errors.inner_text()
    shot(page, "155-livelihood-hours-error-375")
    page.fill("#id_served_on", clock.today().isoformat())
    page.get_by_test_id("log-hours").click()
    page.get_by_test_id("hours-status").first.wait_for()
    assert "等待队长审核" in page.get_by_test_id("hours-status").first.inner_text()
    phone.close()

    staff = _phone(browser)
    staff_page = staff.new_page()
    log_in(staff_page, url, "yangzhou")
    staff_page.goto(f"{url}/livelihood/statistics/")
    assert "琼花石榴红志愿服务队" not in staff_page.get_by_test_id("team-ranking").inner_text()

    phone = _phone(browser)
    page = phone.new_page()
    log_in(page, url, "leader")
    page.goto(f"{url}/livelihood/teams/")
    page.get_by_test_id("waiting-hours").wait_for()
    shot(page, "156-livelihood-approve-375")
    page.get_by_test_id("approve").click()
    page.get_by_test_id("waiting-hours").wait_for(state="detached")
    phone.close()

    staff_page.reload()
    ranking = staff_page.get_by_test_id("team-ranking").inner_text()
    cells = ranking.split("\n")
    assert cells[1] == "琼花石榴红志愿服务队" and float(cells[2]) == 3 and cells[3] == "12"
    shot(staff_page, "157-livelihood-statistics-375")
    staff.close()
    assert team.hours.get().status == "approved"
