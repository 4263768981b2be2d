"""The search page's pick lists, written without templates, read as Django's own."""

import pytest
from django import forms
from django.http import QueryDict
from django.test.html import parse_html
from django_filters.fields import ModelChoiceField, ModelChoiceIterator

from activities.models import Call
from search.filters import SearchPageFilter
from search.widgets import PlainSelect
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def django_select(bound_field):
    """`bound_field` as Django's template-rendered Select gives it, with django-filter's
    choices."""
    field = bound_field.field
    widget = forms.Select(attrs=field.widget.attrs)
    model = isinstance(field, ModelChoiceField)
    widget.choices = ModelChoiceIterator(field) if model else field.choices
    return bound_field.as_widget(widget=widget)


@pytest.mark.parametrize("query", ["", "user_id=none&disposition=answered&speaker_side=contact"])
def test_the_filters_pick_lists_are_the_markup_django_gives(acme, alice, query):
    make_user(acme, first_name="<b>Jamie</b>", last_name="& Co")
    filters = SearchPageFilter(
        QueryDict(query) or None, queryset=Call.objects.none(), organization=acme
    )
    filters.is_valid()

    for name in ("user_id", "disposition", "speaker_side"):
        field = filters.form[name]
        assert isinstance(field.field.widget, PlainSelect)
        assert parse_html(str(field)) == parse_html(django_select(field)), name


def test_a_chosen_rep_is_selected(acme, alice):
    filters = SearchPageFilter(
        QueryDict(f"user_id={alice.pk}"), queryset=Call.objects.none(), organization=acme
    )

    assert f'<option value="{alice.pk}" selected>Alice Archer</option>' in str(
        filters.form["user_id"]
    )
