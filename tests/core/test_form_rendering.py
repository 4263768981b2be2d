"""The site's form renderer writes a <select> exactly as Django's templates do."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from core.form_rendering import FormRenderer

GROUPED = [
    ("", "Nothing"),
    ("Fruit", [("apple", "Apple"), ("pear", "Pear & <b>friends</b>")]),
    ("Numbers", [(1, 1), (2000, 2000)]),
    (None, None),
]


class OptionsWithAttributes(forms.Select):
    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        option["attrs"].update({"data-phone": '+1 "555" <x>', "data-on": True, "data-off": False})
        return option


WIDGETS = {
    "plain": (forms.Select(choices=[("a", "A"), ("b", "B")]), "b"),
    "nothing selected": (forms.Select(choices=[("a", "A")]), None),
    "escaped labels and values": (
        forms.Select(choices=[('"><script>', "<script>alert(1)</script>")]),
        '"><script>',
    ),
    "a safe label stays as it is": (forms.Select(choices=[("a", mark_safe("<i>A</i>"))]), ""),
    "groups": (forms.Select(choices=GROUPED), "pear"),
    "attributes": (
        forms.Select(
            choices=[("a", "A")],
            attrs={"required": True, "disabled": False, "data-when": 'x"y', "aria-label": "<L>"},
        ),
        "a",
    ),
    "option attributes": (OptionsWithAttributes(choices=[("", "None"), ("a", "A")]), "a"),
    "multiple": (forms.SelectMultiple(choices=[("a", "A"), ("b", "B"), ("c", "C")]), ["a", "c"]),
    "yes or no": (forms.NullBooleanSelect(), True),
    "empty": (forms.Select(choices=[]), ""),
}


@pytest.mark.parametrize("name", WIDGETS)
def test_a_select_is_written_as_djangos_templates_write_it(name):
    widget, value = WIDGETS[name]
    attrs = {"id": "id_field"}

    ours = widget.render("field", value, attrs=attrs, renderer=FormRenderer())
    djangos = widget.render("field", value, attrs=attrs, renderer=DjangoTemplates())

    assert ours == djangos


def test_a_select_with_options_of_its_own_template_keeps_them():
    class Starred(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    widget = Starred(choices=[("a", "A")])

    ours = widget.render("field", "a", renderer=FormRenderer())

    assert ours == widget.render("field", "a", renderer=DjangoTemplates())
    assert "<option" not in ours  # the widget's own option template, not our <option>
