"""Invisible control characters pasted into names and titles are refused with a message that says where."""

import pytest

from shiliu.exchanges.models import Activity, ImportJob
from shiliu.exchanges.tests.test_import import upload, workbook
from shiliu.exchanges.tests.test_import_traps import row
from shiliu.exchanges.tests.test_pages import form


@pytest.mark.django_db
@pytest.mark.parametrize("title", ["新源\x1b[31m交流", "交流\u202e活动", "响铃\x07"])
def test_a_title_with_a_control_character_is_refused(client, login, xinyuan, paired, title):
    login(xinyuan)
    response = client.post("/exchanges/new/", form(title=title))
    assert response.status_code == 400 and "控制字符" in response.content.decode()
    assert not Activity.objects.exists()


@pytest.mark.django_db
def test_the_import_refuses_a_unit_name_with_a_control_character(client, login, xinyuan, paired):
    login(xinyuan)
    upload(client, workbook([row("1", "新源\u202e交流")]))
    job = ImportJob.objects.get()
    assert [(p["column"], "控制字符" in p["message"]) for p in job.problems] == [("活动名称", True)]
