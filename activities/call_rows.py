"""The calls' rows of a timeline, rendered by Jinja2 (templates/jinja2/activities/).

A lead's page and all calls show 50 rows a page. Django's template engine walks each row's
nodes anew (variable lookups, filters, a context pushed per include), a quarter of the rows'
time on a lead's page (BENCHMARKS.md, issue 17's pages); Jinja2 compiles the template to
Python once. So the rows, and only they, are a Jinja2 template (docs/architecture.md, "A
request through a page"): the pages around them, the panels of the apps above (`CALL_PANELS`)
and the forms stay Django templates, and a Django template asks for the rows with
`{% call_rows calls %}` (activities/templatetags/calls.py).
"""

from functools import cache, lru_cache

from django.template import engines
from django.template.loader import render_to_string
from django.utils import dateformat, timezone, translation
from django.utils.safestring import mark_safe
from jinja2 import Environment, StrictUndefined

from activities.costs import format_dollars

TEMPLATE = "activities/call_rows.html"


def environment(**options):
    """The Jinja2 environment of settings.TEMPLATES: Django's `date` and our call filters; a
    name the template misses is an error, not an empty string."""
    # Imported here: the template tags module imports this one.
    from activities.templatetags.calls import minutes_seconds, relative

    env = Environment(**{**options, "undefined": StrictUndefined})
    env.filters.update(
        date=local_date,
        relative=relative,
        minutes_seconds=minutes_seconds,
        dollars=format_dollars,
        label=choice_label,
    )
    return env


def local_date(value, format_string):
    """Django's `date` filter: `value` in the current time zone, in Django's date format. ISO
    8601 ("c") is Django's `isoformat()`; other formats are remembered per process (a page's
    rows are read again and again, and Django's formatter takes tens of µs a date)."""
    if not value:
        return ""
    local = timezone.localtime(value)
    if format_string == "c":
        return local.isoformat()
    return _formatted(local, str(local.tzinfo), format_string, translation.get_language())


@lru_cache(maxsize=4096)
def _formatted(local, zone, format_string, language):
    """`local` formatted; `zone` and `language` are in the key, as equal datetimes may be in
    different zones, and the names of days and months are translated."""
    return dateformat.format(local, format_string)


def choice_label(call, field_name):
    """`call.get_<field_name>_display()`, which builds a dict of the field's choices per call."""
    value = getattr(call, field_name)
    return _labels(type(call), field_name, translation.get_language()).get(value, value)


@cache
def _labels(model, field_name, language):
    """The field's labels in `language`, which is in the key as in `_formatted`: a label is
    translated when written out."""
    return {value: str(label) for value, label in model._meta.get_field(field_name).flatchoices}


def render_rows(calls, *, request, highlight=None, show_cost=False, show_lead=False):
    """Return the <li> of each of `calls` (prepared as the views do: `links`, `changeable`,
    `panels`, and `lead_url` with `show_lead`), safe to put in a page."""
    context = {
        "calls": calls,
        "highlight": highlight,
        "show_cost": show_cost,
        "show_lead": show_lead,
        "panel_html": lambda panel, call: render_to_string(
            panel["template"], {"panel": panel["context"], "call": call}, request
        ),
    }
    return mark_safe(engines["jinja2"].get_template(TEMPLATE).render(context, request))
