"""Search: Chinese words (segmented), pinyin, initials, facets, ranking, scope; the same on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest

from shiliu.culture import selectors, services
from shiliu.culture.models import Item

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(xinyuan: Any, yangzhou: Any, make_item: Any) -> dict[str, Any]:
    return {
        "aytes": make_item(
            xinyuan, "哈萨克族阿依特斯", "654025", groups=["17"], category="quyi", summary="阿肯即兴对唱"
        ),
        "dombra": make_item(xinyuan, "冬不拉艺术", "654025", groups=["17"], level="provincial"),
        "lacquer": make_item(
            yangzhou, "扬州漆器髹饰技艺", "321002", category="craftsmanship", credit="扬州漆器厂"
        ),
        "papercut": make_item(yangzhou, "扬州剪纸", "321002", category="fine_arts", summary="剪纸艺术"),
        "draft": make_item(yangzhou, "扬州玉雕", "321002", category="craftsmanship", visibility="draft"),
    }


def titles(result: selectors.SearchResult) -> list[str]:
    return [i.title for i in result.items]


def test_it_finds_a_chinese_word(library: Any, admin_user: Any) -> None:
    assert titles(selectors.item_search(user=admin_user, query="漆器")) == ["扬州漆器髹饰技艺"]
    assert titles(selectors.item_search(user=admin_user, query="剪纸")) == ["扬州剪纸"]


def test_a_single_character_matches_words_starting_with_it(library: Any, admin_user: Any) -> None:
    assert "扬州剪纸" in titles(selectors.item_search(user=admin_user, query="剪"))


def test_it_finds_by_pinyin_and_initials(library: Any, admin_user: Any) -> None:
    assert titles(selectors.item_search(user=admin_user, query="jianzhi")) == ["扬州剪纸"]
    assert titles(selectors.item_search(user=admin_user, query="ayitesi")) == ["哈萨克族阿依特斯"]
    assert titles(selectors.item_search(user=admin_user, query="dbl")) == ["冬不拉艺术"]
    assert "扬州剪纸" in titles(selectors.item_search(user=admin_user, query="yangzhou jian"))


def test_every_word_must_match(library: Any, admin_user: Any) -> None:
    assert titles(selectors.item_search(user=admin_user, query="扬州 冬不拉")) == []


def test_a_title_match_ranks_above_a_description_match(
    library: Any, admin_user: Any, yangzhou: Any, make_item: Any
) -> None:
    make_item(yangzhou, "扬州评话", "321002", category="quyi", summary="与剪纸无关的一段说书，剪纸剪纸")
    result = selectors.item_search(user=admin_user, query="剪纸")
    assert titles(result)[0] == "扬州剪纸"
    assert result.count == 2


def test_facets_count_the_matches(library: Any, admin_user: Any) -> None:
    result = selectors.item_search(user=admin_user, query="")
    regions = {f.value: f.count for f in result.facets["region"]}
    assert regions == {"6540": 2, "3210": 3}
    groups = {f.label: f.count for f in result.facets["ethnic_group"]}
    assert groups == {"哈萨克族": 2}
    levels = {f.value: f.count for f in result.facets["level"]}
    assert levels == {"national": 4, "provincial": 1}
    filtered = selectors.item_search(user=admin_user, query="", ethnic_group="17", level="provincial")
    assert titles(filtered) == ["冬不拉艺术"]
    assert selectors.item_search(user=admin_user, query="yangzhou", region="6540").count == 0


def test_public_search_never_shows_drafts(library: Any) -> None:
    assert selectors.item_search(public=True, query="玉雕").count == 0
    assert selectors.item_search(public=True, query="").count == 4


def test_staff_search_stays_in_the_jurisdiction(
    library: Any, xinyuan: Any, outsider: Any, resident: Any
) -> None:
    assert set(titles(selectors.item_search(user=xinyuan, query=""))) == {"哈萨克族阿依特斯", "冬不拉艺术"}
    assert selectors.item_search(user=outsider, query="扬州").count == 0
    assert selectors.item_search(user=resident, query="").count == 0


def test_the_index_follows_changes_and_deletes(library: Any, yangzhou: Any, admin_user: Any) -> None:
    item = library["papercut"]
    services.item_save(actor=yangzhou, data={"title": "扬州刺绣", "summary": "刺绣艺术"}, item=item)
    assert selectors.item_search(user=admin_user, query="剪纸").count == 0
    assert titles(selectors.item_search(user=admin_user, query="刺绣")) == ["扬州刺绣"]
    Item.objects.filter(pk=item.pk).delete()
    assert selectors.item_search(user=admin_user, query="刺绣").count == 0


def test_query_syntax_is_not_interpreted(library: Any, admin_user: Any) -> None:
    for query in ['"', "'", "AND OR NOT", "*", "a:*", "漆器 | 剪纸", "NEAR(", "\\", "(("]:
        selectors.item_search(user=admin_user, query=query)  # no database error


def test_a_bearer_is_searchable(library: Any, xinyuan: Any, admin_user: Any) -> None:
    services.bearer_add(
        actor=xinyuan, item=library["dombra"], name="艾特肯", level="national", recognised_year=2018
    )
    assert titles(selectors.item_search(user=admin_user, query="艾特肯")) == ["冬不拉艺术"]


def test_the_rebuild_command_restores_stale_search_words(library: Any, admin_user: Any) -> None:
    from io import StringIO

    from django.core.management import call_command

    Item.objects.filter(pk=library["papercut"].pk).update(search_title="stale", search_text="stale")
    assert titles(selectors.item_search(user=admin_user, query="jianzhi")) == []
    out = StringIO()
    call_command("rebuild_culture_search", "--batch", "2", stdout=out)
    assert "5 items, 1 changed" in out.getvalue()
    assert titles(selectors.item_search(user=admin_user, query="jianzhi")) == ["扬州剪纸"]
    assert titles(selectors.item_search(user=admin_user, query="stale")) == []
