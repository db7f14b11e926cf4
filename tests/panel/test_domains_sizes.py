"""The quota field: human units in, bytes out, and bytes shown back in units."""
import pytest
from django import forms

from panel.fields import SizeField


class QuotaForm(forms.Form):
    quota = SizeField()


@pytest.mark.parametrize("text,expected", [
    ("2 GB", 2 * 1024**3), ("500M", 500 * 1024**2), ("1,5 GiB", 3 * 1024**3 // 2), ("1.5g", 3 * 1024**3 // 2),
    ("0", 0), ("", 0), ("1048576", 1024**2),
])
def test_sizes_are_read_in_human_units(text, expected):
    form = QuotaForm({"quota": text})
    assert form.is_valid() and form.cleaned_data["quota"] == expected


@pytest.mark.parametrize("text", ["lots", "-1G", "2 PB", "1e9"])
def test_a_bad_size_names_the_field_and_how_to_write_one(text):
    form = QuotaForm({"quota": text})
    assert not form.is_valid() and "500 MB" in form.errors["quota"][0]


def test_a_stored_size_is_shown_in_units_it_can_be_typed_in_again():
    html = str(QuotaForm(initial={"quota": 2 * 1024**3})["quota"])
    assert 'value="2G"' in html
    assert QuotaForm({"quota": "2G"}).is_valid()
