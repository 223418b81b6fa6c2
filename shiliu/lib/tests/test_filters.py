"""Invalid list filters are named on the page and left out, on every list that filters by a fixed set of values."""

import pytest

from shiliu.lib.filters import Filters

WARNING = "无效，已忽略"


def test_filters_keep_valid_values_and_name_the_invalid_ones():
    filters = Filters({"status": "active", "kind": "nonsense", "started": "20x6", "other": "1"})
    assert filters.choice("status", {"active", "ended"}, "状态") == "active"
    assert filters.choice("kind", {"a"}, "类型") == ""
    assert filters.parsed("started", int, "年份") is None
    assert filters.parsed("missing", int, "年份") is None
    assert filters.problems == [
        "筛选条件“类型 = nonsense”无效，已忽略。",
        "筛选条件“年份 = 20x6”无效，已忽略。",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url, named",
    [
        ("/pairings/?status=bogus", "状态 = bogus"),
        ("/pairings/?kind=x", "类型 = x"),
        ("/pairings/?started=1066", "年份 = 1066"),
        ("/exchanges/menu/?plan=space", "计划 = space"),
        ("/exchanges/bookings/?status=lost", "状态 = lost"),
    ],
)
def test_each_list_says_which_filter_it_left_out(yangzhou, login, url, named):
    page = login(yangzhou).get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = page.content.decode()
    assert page.status_code == 200 and named in text and WARNING in text


@pytest.mark.django_db
def test_a_valid_filter_raises_no_warning(yangzhou, login):
    text = login(yangzhou).get("/pairings/?status=active&started=2026").content.decode()
    assert WARNING not in text
