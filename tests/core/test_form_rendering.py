"""The site's form renderer writes a <select>, an <input>, radio buttons, checkboxes and error
lists exactly as Django's templates do."""

import datetime

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.forms.utils import ErrorList
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


class UnwrappedRadios(forms.RadioSelect):
    def create_option(self, *args, **kwargs):
        return {**super().create_option(*args, **kwargs), "wrap_label": False}


INPUTS = {
    "text": (forms.TextInput(attrs={"placeholder": 'Say "hi" <b>', "size": 8}), "a & b"),
    "text with no value": (forms.TextInput(), None),
    "text with an empty value": (forms.TextInput(), ""),
    "a safe value stays as it is": (forms.TextInput(), mark_safe("<i>x</i>")),
    "number": (forms.NumberInput(attrs={"step": 1, "required": True, "disabled": False}), 12),
    "date": (forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), datetime.date(2026, 1, 2)),
    "datetime": (
        forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M:%S"),
        datetime.datetime(2026, 1, 2, 3, 4, 5),
    ),
    "hidden": (forms.HiddenInput(), "secret"),
    "checked checkbox": (forms.CheckboxInput(), True),
    "file": (forms.FileInput(attrs={"accept": ".wav,audio/*"}), None),
    "radio": (forms.RadioSelect(choices=[("in", "Inbound"), ("out", "Out & <b>bound</b>")]), "out"),
    "radio with groups": (forms.RadioSelect(choices=GROUPED), "pear"),
    "radio with a class": (
        forms.RadioSelect(choices=[("a", "A")], attrs={"class": "choices", "data-x": True}),
        None,
    ),
    "radio without labels around": (UnwrappedRadios(choices=[("a", "A")]), "a"),
    "checkboxes": (
        forms.CheckboxSelectMultiple(choices=[("a", "A"), ("b", mark_safe("<i>B</i>"))]),
        ["b"],
    ),
}


@pytest.mark.parametrize("name", INPUTS)
def test_an_input_is_written_as_djangos_templates_write_it(name):
    widget, value = INPUTS[name]

    for attrs in ({"id": "id_field"}, None):  # with ids, as a form's fields have them, and none
        ours = widget.render("field", value, attrs=attrs, renderer=FormRenderer())
        djangos = widget.render("field", value, attrs=attrs, renderer=DjangoTemplates())

        assert ours == djangos


@pytest.mark.parametrize("errors", [[], ["Enter a date.", "Not <b>that</b> & not this."]])
def test_an_error_list_is_written_as_djangos_templates_write_it(errors):
    def written(renderer):
        return ErrorList(errors, field_id="id_when", renderer=renderer).render()

    assert written(FormRenderer()) == written(DjangoTemplates())
