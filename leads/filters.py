"""The contact FilterSet of the API's contact list. (Leads are found by Close's lead query,
leads/query.py.)"""

import django_filters

from leads.models import Contact


class ContactFilter(django_filters.FilterSet):
    lead_id = django_filters.CharFilter(field_name="lead_id")

    class Meta:
        model = Contact
        fields = []
