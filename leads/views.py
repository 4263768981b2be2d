from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F, Prefetch
from django.shortcuts import get_object_or_404, redirect, render

from accounts.tenancy import current_organization
from leads import services
from leads.forms import ContactFormSet, LeadForm
from leads.models import Contact, Lead
from leads.pages import lead_sections

LEADS_PER_PAGE = 25


def _organization(request):
    organization = current_organization(request)
    if organization is None:
        raise PermissionDenied("You are not a member of any organization yet.")
    return organization


def _get_lead_for_user(request, lead_id):
    leads = Lead.objects.for_organization(current_organization(request))
    return get_object_or_404(
        leads.select_related("organization").prefetch_related("contacts"), pk=lead_id
    )


@login_required
def lead_list(request):
    query = request.GET.get("q", "").strip()
    leads = (
        Lead.objects.for_organization(_organization(request))
        .search(query)
        .prefetch_related(
            Prefetch("contacts", queryset=Contact.objects.all()[:1], to_attr="main_contacts")
        )
        .order_by(F("last_activity_at").desc(nulls_last=True), "-date_created", "-id")
    )
    sections = lead_sections()
    for section in sections:
        leads = section.list_queryset(leads)
    columns = [section for section in sections if section.list_heading]
    page = Paginator(leads, LEADS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request, "leads/lead_list.html", {"page": page, "query": query, "columns": columns}
    )


@login_required
def lead_create(request):
    organization = _organization(request)
    form = LeadForm(request.POST or None)
    formset = ContactFormSet(request.POST or None, prefix="contacts")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        lead = services.lead_create(
            organization=organization,
            created_by=request.user,
            fields=form.cleaned_data,
            contacts=[contact.contact_fields() for contact in formset if contact.has_changed()],
        )
        messages.success(request, f"{lead.name} was added.")
        return redirect(lead)
    return render(request, "leads/lead_form.html", {"form": form, "formset": formset})


@login_required
def lead_detail(request, lead_id):
    lead = _get_lead_for_user(request, lead_id)
    sections = lead_sections()
    rendered = [section.render(request, lead) for section in sections]
    media = sum((media for _, media in rendered), forms.Media())
    return render(
        request,
        "leads/lead_detail.html",
        {
            "lead": lead,
            "sections": [html for html, _ in rendered],
            "media": media,
            "skip_links": [link for section in sections for link in section.skip_links],
            "contact_templates": [s.contact_template for s in sections if s.contact_template],
        },
    )
