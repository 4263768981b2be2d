"""How the site's forms render: the form renderer (settings.FORM_RENDERER), Django's with
<select> written in Python, and `ModelChoiceField`, whose pick list is one plain query.

Django renders each <option> through two templates of its own (the option, then its
attributes): a lead page's three forms have about 100 options, which took more of the page's
time than its 50 calls. `select_html` writes the very HTML Django's `select.html` writes
(tests/core/test_form_rendering.py compares them), with the same escaping; a widget with
templates of its own (another `template_name` or `option_template_name`) still gets them.
"""

from django import forms
from django.forms.models import ModelChoiceIterator
from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import format_html, format_html_join

SELECT = "django/forms/widgets/select.html"
SELECT_OPTION = "django/forms/widgets/select_option.html"


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context.get("widget")
        if template_name == SELECT and _only_plain_options(widget):
            return select_html(widget)
        return super().render(template_name, context, request)


def _only_plain_options(widget):
    return all(
        option["template_name"] == SELECT_OPTION
        for _, options, _ in widget["optgroups"]
        for option in options
    )


def attributes_html(attrs):
    """Django's widgets/attrs.html: ` name="value"`, ` name` for True, nothing for False."""
    return format_html_join(
        "",
        " {}{}",
        (
            (name, "" if value is True else format_html('="{}"', value))
            for name, value in attrs.items()
            if value is not False
        ),
    )


def select_html(widget):
    """Django's widgets/select.html and select_option.html for `widget` (its context)."""
    parts = [format_html('<select name="{}"{}>', widget["name"], attributes_html(widget["attrs"]))]
    for group_name, options, _ in widget["optgroups"]:
        if group_name:
            parts.append(format_html('\n  <optgroup label="{}">', group_name))
        for option in options:
            parts.append(
                format_html(
                    '\n  <option value="{}"{}>{}</option>\n',
                    option["value"],
                    attributes_html(option["attrs"]),
                    localize(option["label"]),
                )
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


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
    """A model choice field given a queryset already read keeps its rows instead of reading
    them again: `lead.contacts.all()` of a lead whose contacts the page prefetched, a pick
    list `read_once`."""

    def _set_queryset(self, queryset):
        super()._set_queryset(queryset)  # a copy, which would read the rows again
        if queryset is not None and queryset._result_cache is not None:
            self._queryset._result_cache = queryset._result_cache
            self._queryset._prefetch_done = queryset._prefetch_done

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
    """Return `queryset()` read, kept on `owner` under `name`: the pick lists of the same rows on
    one page (the timeline's filters, log a call, the follow-up's form) share one query.
    `owner` lives as long as the request: the lead's organization, read with the lead."""
    kept = owner.__dict__.setdefault("_read_once", {})
    if name not in kept:
        kept[name] = queryset()
        len(kept[name])  # read it now; a ModelChoiceField given it keeps the rows
    return kept[name]


def already_read(queryset, rows):
    """Return `queryset` holding `rows`, the rows it selects, read by a wider query."""
    queryset._result_cache = list(rows)
    queryset._prefetch_done = True
    return queryset
