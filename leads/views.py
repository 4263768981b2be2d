import copy

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F, Prefetch
from django.shortcuts import get_object_or_404, redirect, render

from accounts import roles
from accounts.tenancy import current_membership, current_organization, required_organization
from leads import services
from leads.forms import ContactEditor, ContactFormSet, LeadForm, add_errors
from leads.models import Contact, Lead, phone_matches
from leads.pages import lead_sections

LEADS_PER_PAGE = 25


def _get_lead_for_user(request, lead_id):
    leads = Lead.objects.for_organization(current_organization(request))
    return get_object_or_404(
        leads.select_related("organization").prefetch_related("contacts"), pk=lead_id
    )


def _get_lead_to_change(request, lead_id, rule=roles.can_change_leads):
    """The lead, if the user's role allows `rule` (else the 403 page saying who may)."""
    lead = _get_lead_for_user(request, lead_id)
    roles.require(rule, current_membership(request))
    return lead


def _get_contact_to_change(request, lead_id, contact_id, rule=roles.can_change_leads):
    lead = _get_lead_to_change(request, lead_id, rule)
    contact = get_object_or_404(Contact.objects.filter(lead=lead), pk=contact_id)
    contact.lead = lead
    return contact


@login_required
def lead_list(request):
    query = request.GET.get("q", "").strip()
    organization = required_organization(request)
    leads = (
        Lead.objects.for_organization(organization)
        .search(query, organization.phone_region)
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
    matches = phone_matches(page.object_list, query, organization.phone_region)
    for lead in page.object_list:
        lead.phone_match = matches.get(lead.pk)
    return render(
        request, "leads/lead_list.html", {"page": page, "query": query, "columns": columns}
    )


@login_required
def lead_create(request):
    organization = required_organization(request)
    form = LeadForm(request.POST or None)
    formset = ContactFormSet(
        request.POST or None,
        prefix="contacts",
        form_kwargs={"region": organization.phone_region},
    )
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


@login_required
def lead_edit(request, lead_id):
    lead = _get_lead_to_change(request, lead_id)
    form = LeadForm(request.POST or None, instance=copy.copy(lead))  # `lead` stays as stored
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            services.lead_update(lead, updated_by=request.user, fields=fields)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"{lead.name} was saved.")
            return redirect(lead)
    membership = current_membership(request)
    return render(
        request,
        "leads/lead_edit.html",
        {"lead": lead, "form": form, "may_delete": roles.can_delete_lead(membership)},
    )


@login_required
def lead_delete(request, lead_id):
    lead = _get_lead_to_change(request, lead_id, roles.can_delete_lead)
    if request.method == "POST":
        services.lead_delete(lead, deleted_by=request.user)
        messages.success(request, f"{lead.name} was deleted, with its contacts and calls.")
        return redirect("leads:list")
    return render(request, "leads/lead_confirm_delete.html", {"lead": lead})


@login_required
def contact_create(request, lead_id):
    lead = _get_lead_to_change(request, lead_id)
    editor = ContactEditor(request.POST or None, region=lead.organization.phone_region)
    if request.method == "POST" and editor.is_valid():
        try:
            contact = services.contact_create(
                organization=lead.organization,
                lead=lead,
                created_by=request.user,
                fields=editor.contact_fields(),
            )
        except ValidationError as error:
            editor.add_error(error)
        else:
            messages.success(request, f"{contact} was added to {lead.name}.")
            return redirect(lead)
    return render(request, "leads/contact_form.html", {"lead": lead, "editor": editor})


@login_required
def contact_edit(request, lead_id, contact_id):
    contact = _get_contact_to_change(request, lead_id, contact_id)
    lead = contact.lead
    editor = ContactEditor(
        request.POST or None, contact=copy.copy(contact), region=lead.organization.phone_region
    )
    if request.method == "POST" and editor.is_valid():
        try:
            services.contact_update(
                contact, updated_by=request.user, fields=editor.contact_fields()
            )
        except ValidationError as error:
            editor.add_error(error)
        else:
            messages.success(request, f"{contact} was saved.")
            return redirect(lead)
    membership = current_membership(request)
    return render(
        request,
        "leads/contact_form.html",
        {
            "lead": lead,
            "contact": contact,
            "editor": editor,
            "may_delete": roles.can_delete_contact(membership),
        },
    )


@login_required
def contact_delete(request, lead_id, contact_id):
    contact = _get_contact_to_change(request, lead_id, contact_id, roles.can_delete_contact)
    if request.method == "POST":
        services.contact_delete(contact, deleted_by=request.user)
        messages.success(request, f"{contact} was deleted.")
        return redirect(contact.lead)
    return render(
        request, "leads/contact_confirm_delete.html", {"lead": contact.lead, "contact": contact}
    )
