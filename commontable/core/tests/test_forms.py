"""The form renderer's Python select against the template it stands in for."""

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting
from django.template.loader import get_template

from commontable.core.forms import SELECT_TEMPLATE, FormRenderer, render_select

CHOICES = [
    ("", "Any place"),
    ("a&b", 'Saint Paul <"East Side">'),
    ("Districts", [("w1", "Ward 1"), ("w2", "Ward 2 & 3")]),
    (3, "Três Rios"),
]


class Menu(forms.Form):
    place = forms.ChoiceField(choices=CHOICES, required=False)
    several = forms.MultipleChoiceField(choices=CHOICES, required=False)
    place.widget.attrs.update({"aria-describedby": "help-1 err-1", "data-x": 'q"uote', "autofocus": True,
                               "hidden-if-false": False})


@pytest.mark.parametrize("data", [None, {"place": "w2", "several": ["a&b", "3"]}, {"place": "nonsense"}])
def test_the_python_select_writes_what_the_template_writes(data):
    form = Menu(data, renderer=FormRenderer())
    for name in ("place", "several"):
        bound = form[name]
        widget = bound.field.widget
        context = widget.get_context(bound.html_name, bound.value(), bound.build_widget_attrs({"id": bound.auto_id}))
        expected = get_template(SELECT_TEMPLATE).render(context).strip()  # as every renderer returns it
        assert render_select(context) == expected
        # and our renderer takes the Python path for a bound field, as the plain renderer writes it
        assert str(bound) == str(Menu(data, renderer=TemplatesSetting())[name])


def test_the_python_select_escapes_labels_values_and_attributes():
    html = str(Menu({"place": "a&b"}, renderer=FormRenderer())["place"])
    assert '<option value="a&amp;b" selected>Saint Paul &lt;&quot;East Side&quot;&gt;</option>' in html
    assert 'data-x="q&quot;uote"' in html and " autofocus" in html and "hidden-if-false" not in html
    assert '<optgroup label="Districts">' in html and "Ward 2 &amp; 3" in html
