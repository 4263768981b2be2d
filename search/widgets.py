"""A pick list written in Python: Django's Select renders a template for every option, which
cost the search page's filter form (a rep pick list of 50) more than its results."""

import copy

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django_filters.fields import ModelChoiceField, ModelChoiceIterator


class PlainSelect(forms.Select):
    """A single-choice Select with the markup Django's gives (`<select name … id …>`, each
    `<option value="…">`, the chosen one `selected`), written without templates. Flat choices
    only: no option groups."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(item) for item in self.format_value(value)}
        options = format_html_join(
            "\n",
            '<option value="{}"{}>{}</option>',
            (
                (key, " selected" if key in chosen else "", label)
                for key, label in ((_key(option), label) for option, label in self.choices)
            ),
        )
        attrs = flatatt(self.build_attrs(self.attrs, attrs))
        return format_html('<select name="{}"{}>\n{}\n</select>', name, attrs, options)


class FetchedChoices(ModelChoiceIterator):
    """A model pick list's choices (django-filter's: its "none" choice too) read by one plain
    query: Django's go through a server-side cursor (DECLARE, FETCH, CLOSE), made for more
    rows than a pick list shows."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for instance in self.queryset.all():
            yield self.choice(instance)


def _key(option):
    return "" if option is None else str(option)


def plain_selects(form_class, names):
    """Give the pick lists of `form_class`'s fields `names` (choice fields) a PlainSelect; the
    fields are copied first (a FilterSet's filters may share theirs between requests)."""
    for name in names:
        field = form_class.base_fields[name]
        if isinstance(field, forms.ChoiceField) and type(field.widget) is forms.Select:
            field = form_class.base_fields[name] = copy.deepcopy(field)
            if isinstance(field, ModelChoiceField):
                field.iterator = FetchedChoices
            field.widget = PlainSelect(attrs=field.widget.attrs)
            field.widget.choices = field.choices
    return form_class
