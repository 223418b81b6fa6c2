"""The seekers' list uploaded from the Excel template: problems by row and column, all rows or none."""

import io
from typing import cast

import pytest
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from shiliu.residents.livelihood.imports import HEADERS, SHEET_TITLE
from shiliu.residents.livelihood.models import SeekerNeed

pytestmark = pytest.mark.django_db


def _file(rows, headers=HEADERS):
    wb = Workbook()
    ws = cast(Worksheet, wb.active)
    ws.title = SHEET_TITLE
    ws.append(list(headers))
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "list.xlsx"
    return buffer


GOOD = ["654025", "6", "工厂岗位", "3210", 5000, "国家通用语言", 40]


def test_the_template_downloads_and_a_good_list_is_added(login, xinyuan):
    client = login(xinyuan)
    assert client.get("/livelihood/lists/template.xlsx").status_code == 200
    response = client.post(
        "/livelihood/lists/import/", {"file": _file([GOOD, ["654025", 4, "餐饮服务", "3210", 4500, "", 15]])}
    )
    assert response.status_code == 302 and SeekerNeed.objects.count() == 2


def test_a_bad_row_is_named_by_row_and_column_and_nothing_is_added(login, xinyuan):
    bad = ["654025", "9", "", "3210", "五千", "", 0]
    response = login(xinyuan).post(
        "/livelihood/lists/import/", {"file": _file([GOOD, bad])}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    page = response.content.decode()
    assert response.status_code == 400 and "未添加任何数据" in page
    for column in ("职业大类代码", "求职意向", "最低月薪（元）", "求职人数"):
        assert column in page
    assert not SeekerNeed.objects.exists()


def test_another_regions_list_or_a_wrong_header_is_refused(login, yangzhou):
    response = login(yangzhou).post(
        "/livelihood/lists/import/", {"file": _file([GOOD])}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 400 and "该流出地不在您的管辖范围内" in response.content.decode()
    response = login(yangzhou).post(
        "/livelihood/lists/import/", {"file": _file([GOOD], headers=HEADERS[:-1])}
    )
    assert response.status_code == 400
    assert not SeekerNeed.objects.exists()
