"""The region picker never lets a stale code through, and renders as a WAI-ARIA combobox."""

import re

import pytest
from django import forms

from shiliu.regions.forms import RegionField, RegionPickerWidget


class PlaceForm(forms.Form):
    region = RegionField(label="地区", widget=RegionPickerWidget())


@pytest.mark.django_db
def test_it_refuses_a_chosen_code_once_the_text_says_another_place():
    # The person picked 扬州市, then typed "chengdu" over it and tabbed away: the code is stale.
    form = PlaceForm({"region": "3210", "region_label": "chengdu"})
    assert not form.is_valid()
    message = form.errors["region"][0]
    assert "chengdu" in message and "江苏省 扬州市" in message and "3210" in message
    assert "不一致" in message


@pytest.mark.django_db
def test_it_refuses_text_that_was_never_picked_from_the_suggestions():
    form = PlaceForm({"region": "", "region_label": "新源"})
    assert not form.is_valid()
    assert "不是从建议列表中选择的地区" in form.errors["region"][0]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "label",
    [
        "新疆维吾尔自治区 伊犁哈萨克自治州 新源县",  # as the server writes it
        "伊犁哈萨克自治州 新源县",  # as the browser writes a suggestion it picked
        "新源县",
        " 伊犁哈萨克自治州  新源县 ",
    ],
)
def test_it_accepts_a_code_with_any_text_the_picker_shows_for_it(label):
    form = PlaceForm({"region": "654025", "region_label": label})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["region"].code == "654025"


@pytest.mark.django_db
def test_it_accepts_a_code_alone_from_clients_that_send_no_text():
    form = PlaceForm({"region": "654025"})
    assert form.is_valid()
    assert form.cleaned_data["region"].code == "654025"


@pytest.mark.django_db
def test_an_empty_picker_is_missing_not_wrong():
    form = PlaceForm({"region": "", "region_label": ""})
    assert not form.is_valid()
    assert form.errors["region"][0] == "这个字段是必填项。"


@pytest.mark.django_db
def test_it_renders_a_combobox_tied_to_its_listbox_and_its_error():
    form = PlaceForm({"region": "3210", "region_label": "chengdu"})
    form.is_valid()
    html = form["region"].as_field_group()
    box = re.search(r"<input type=\"text\"[^>]*>", html).group(0)
    assert 'role="combobox"' in box and 'aria-expanded="false"' in box and 'aria-autocomplete="list"' in box
    assert 'aria-controls="id_region_listbox"' in box and 'id="id_region_listbox"' in html
    assert 'role="listbox"' in html
    assert 'name="region_label"' in box and 'value="chengdu"' in box  # what the person typed, sent back
    assert 'aria-invalid="true"' in box
    described = re.search(r'aria-describedby="([^"]+)"', box).group(1)
    assert described == "id_region_error" and 'id="id_region_error"' in html
    assert 'for="id_region"' in html
    assert 'type="search"' not in html  # a search box wipes its text on Escape
