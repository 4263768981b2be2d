"""The lead pages' declared extension point: what the apps above leads show of a lead.

leads owns the list of leads and each lead's page, but knows nothing of calls, tasks or what
comes next. An app shows its part of a lead on them with a `LeadSection`, named in
`settings.LEAD_SECTIONS`; the pages show the sections in that order.
"""

from django import forms
from django.conf import settings
from django.utils.module_loading import import_string


class LeadSection:
    """What one app shows on the lead pages. A subclass overrides what it uses."""

    # A column of the list of leads: its heading, and the template of a cell (given `lead`).
    list_heading = None
    list_cell_template = None
    # On a lead's page: skip links to parts of the section, as (element id, link text), and a
    # template shown in each contact's card (given `lead` and `contact`).
    skip_links = ()
    contact_template = None

    def list_queryset(self, leads):
        """Return the list's `leads` with what the column shows, in a constant number of queries."""
        return leads

    def render(self, request, lead):
        """Return (HTML, forms.Media) for this section of `lead`'s page."""
        return "", forms.Media()


def lead_sections():
    return [import_string(path)() for path in settings.LEAD_SECTIONS]
