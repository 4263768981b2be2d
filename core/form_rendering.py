"""How the site's forms render: the form renderer (settings.FORM_RENDERER), Django's with
<select>, <input>, radio buttons and empty error lists written in Python, and
`ModelChoiceField`, whose pick list is one plain query.

Django renders each <option> through two templates of its own (the option, then its
attributes), each <input> through three (text.html, input.html, attrs.html), each radio button
through four more, and each field's empty error list through two: a lead page's three forms
have about 100 options and 30 fields, which took more of the page's time than its 50 calls.
`select_html`, `input_html` and `multiple_input_html` write the very HTML Django's templates
write (tests/core/test_form_rendering.py compares them), with the same escaping; a widget with
templates of its own (another `template_name` or `option_template_name`) still gets them.
"""

import html

from django import forms
from django.forms.models import ModelChoiceIterator
from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize

SELECT = "django/forms/widgets/select.html"
SELECT_OPTION = "django/forms/widgets/select_option.html"
# Django's templates that are `{% include "django/forms/widgets/input.html" %}` and a newline.
INPUTS = {
    f"django/forms/widgets/{name}.html"
    for name in (
        "checkbox", "color", "date", "datetime", "email", "file", "hidden", "number",
        "password", "search", "tel", "text", "time", "url",
    )
}  # fmt: skip
MULTIPLE_INPUTS = {"django/forms/widgets/radio.html", "django/forms/widgets/checkbox_select.html"}
INPUT_OPTIONS = {
    "django/forms/widgets/radio_option.html",
    "django/forms/widgets/checkbox_option.html",
}
ERROR_LISTS = {"django/forms/errors/list/default.html", "django/forms/errors/list/ul.html"}


class FormRenderer(DjangoTemplates):
    """Django's renderer (which strips what a template writes), with the widgets above in
    Python."""

    def render(self, template_name, context, request=None):
        widget = context.get("widget")
        if template_name in INPUTS:
            return input_html(widget)
        if template_name == SELECT and _only_options_of(widget, {SELECT_OPTION}):
            return select_html(widget)
        if template_name in MULTIPLE_INPUTS and _only_options_of(widget, INPUT_OPTIONS):
            return multiple_input_html(widget)
        if template_name in ERROR_LISTS and not context["errors"]:
            return ""
        return super().render(template_name, context, request)


def _only_options_of(widget, templates):
    return all(
        option["template_name"] in templates
        for _, options, _ in widget["optgroups"]
        for option in options
    )


def escaped(value):
    """Django's `conditional_escape` (a safe string as it is, anything else escaped as
    `escape` does, by `html.escape`), without the lazy-string wrapper that took a third of
    the forms' time."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _label(value):
    """A label as `{{ label }}` writes it: localized (a number, a date), escaped."""
    return escaped(value if isinstance(value, str) else localize(value))


def attributes_html(attrs):
    """Django's widgets/attrs.html: ` name="value"`, ` name` for True, nothing for False."""
    return "".join(
        f" {escaped(name)}" if value is True else f' {escaped(name)}="{escaped(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def select_html(widget):
    """Django's widgets/select.html and select_option.html for `widget` (its context)."""
    parts = [f'<select name="{escaped(widget["name"])}"{attributes_html(widget["attrs"])}>']
    for group_name, options, _ in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{escaped(group_name)}">')
        parts.extend(
            f'\n  <option value="{escaped(option["value"])}"{attributes_html(option["attrs"])}>'
            f"{_label(option['label'])}</option>\n"
            for option in options
        )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def input_html(widget):
    """Django's widgets/input.html for `widget` (its context)."""
    value = widget["value"]
    value_html = "" if value is None else f' value="{escaped(str(value))}"'
    return (
        f'<input type="{escaped(widget["type"])}" name="{escaped(widget["name"])}"'
        f"{value_html}{attributes_html(widget['attrs'])}>"
    )


def multiple_input_html(widget):
    """Django's widgets/multiple_input.html and its options' input_option.html (radio buttons,
    checkboxes) for `widget` (its context)."""
    attrs = widget["attrs"]
    parts = [
        "<div",
        f' id="{escaped(attrs["id"])}"' if attrs.get("id") else "",
        f' class="{escaped(attrs["class"])}"' if attrs.get("class") else "",
        ">",
    ]
    for group_name, options, _ in widget["optgroups"]:
        if group_name:
            parts.append(f"\n  <div><label>{_label(group_name)}</label>")
        for option in options:
            parts.append(f"<div>\n    {_input_option_html(option)}</div>")
        if group_name:
            parts.append("\n  </div>")
    parts.append("\n</div>")
    return "".join(parts)


def _input_option_html(option):
    """radio_option.html (or checkbox_option.html): input_option.html, and a newline."""
    if not option["wrap_label"]:
        return input_html(option) + "\n\n\n"
    option_id = option["attrs"].get("id")
    label_for = f' for="{escaped(option_id)}"' if option_id else ""
    return f"<label{label_for}>{input_html(option)}\n {_label(option['label'])}</label>\n\n"


class ListedChoices(ModelChoiceIterator):
    """A pick list's choices read by one plain query, kept for the form's life.

    Django's iterator reads them with `.iterator()`, on PostgreSQL a server-side cursor
    (DECLARE, FETCH, CLOSE: three round trips), again each time they are iterated; a pick list
    is a few dozen rows, read once per page.
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for instance in self.queryset:  # the field's queryset keeps them
            yield self.choice(instance)


class KeepsReadRows:
    """A model choice field given a queryset already read (`lead.contacts.all()` of a lead whose
    contacts the page prefetched), or shared by a page's pick lists (`read_once`), keeps that
    very queryset instead of a copy (Django's way), which would read the rows again."""

    def _set_queryset(self, queryset):
        if queryset is not None and (
            queryset._result_cache is not None or getattr(queryset, "shared", False)
        ):
            self._queryset = queryset
            self.widget.choices = self.choices
        else:
            super()._set_queryset(queryset)

    def __deepcopy__(self, memo):  # a form's copy of its class's field, a filter's
        result = super().__deepcopy__(memo)
        if self.queryset is not None:
            result.queryset = self.queryset
        return result

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)


class ModelChoiceField(KeepsReadRows, forms.ModelChoiceField):
    """A ModelChoiceField whose choices are one plain query (`ListedChoices`), or none when
    its queryset was already read (`KeepsReadRows`)."""

    iterator = ListedChoices


def read_once(owner, name, queryset):
    """Return `queryset()`, kept on `owner` under `name` and shared as it is by the pick lists
    given it (`KeepsReadRows`): the first to list it reads it, for all of them. The pick lists
    of the same rows on one page (the timeline's filters, log a call, the follow-up's form)
    share one query, and a page that shows none reads nothing. `owner` lives as long as the
    request: the lead's organization, read with the lead."""
    kept = owner.__dict__.setdefault("_read_once", {})
    if name not in kept:
        kept[name] = queryset()
        kept[name].shared = True
    return kept[name]


def already_read(queryset, rows):
    """Return `queryset` holding `rows`, the rows it selects, read by a wider query."""
    queryset._result_cache = list(rows)
    queryset._prefetch_done = True
    return queryset
