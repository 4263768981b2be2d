from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import F, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render

from accounts import roles
from accounts.tenancy import current_membership, current_organization
from activities.forms import CallForm, TimelineFilter
from activities.models import Call, Transcript, call_links
from activities.panels import TIMELINE, attach_panels
from leads.forms import ContactFormSet, LeadForm
from leads.models import Contact, Lead

LEADS_PER_PAGE = 25
CALLS_PER_PAGE = 50


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
            Prefetch("contacts", queryset=Contact.objects.all()[:1], to_attr="main_contacts"),
            Prefetch(
                "calls",
                queryset=Call.objects.select_related("user")[:1],
                to_attr="latest_calls",
            ),
        )
        .order_by(F("last_activity_at").desc(nulls_last=True), "-date_created", "-id")
    )
    page = Paginator(leads, LEADS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "leads/lead_list.html", {"page": page, "query": query})


@login_required
def lead_create(request):
    organization = _organization(request)
    form = LeadForm(request.POST or None)
    formset = ContactFormSet(request.POST or None, prefix="contacts")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        with transaction.atomic():
            lead = form.save(commit=False)
            lead.organization = organization
            lead.created_by = lead.updated_by = request.user
            lead.save()
            formset.instance = lead
            for contact in formset.save(commit=False):
                contact.organization = organization
                contact.save()
        messages.success(request, f"{lead.name} was added.")
        return redirect(lead)
    return render(request, "leads/lead_form.html", {"form": form, "formset": formset})


def _page_of(calls, call_id):
    """Return the number of the timeline page that shows the call `call_id`."""
    call = calls.filter(pk=call_id).first() if call_id else None
    if call is None:
        return 1
    newer = calls.filter(
        Q(activity_at__gt=call.activity_at) | Q(activity_at=call.activity_at, id__gt=call.id)
    )
    return newer.count() // CALLS_PER_PAGE + 1


@login_required
def lead_detail(request, lead_id):
    lead = _get_lead_for_user(request, lead_id)
    calls = (
        Call.objects.for_organization(lead.organization)
        .filter(lead=lead)
        .select_related("user", "outcome", "contact")  # what a timeline row shows
        .prefetch_related(  # only whether a call has one: the link
            Prefetch("transcripts", queryset=Transcript.objects.only("id", "call_id"))
        )
    )
    timeline = TimelineFilter(request.GET or None, queryset=calls, organization=lead.organization)
    highlight = request.GET.get("highlight")
    page_number = request.GET.get("page") or _page_of(timeline.qs, highlight)
    page = Paginator(timeline.qs, CALLS_PER_PAGE).get_page(page_number)
    links = call_links([call.id for call in page])
    membership = current_membership(request)
    for call in page:
        call.links = links[call.id]
        call.changeable = roles.can_change_call(membership, call)
    attach_panels(page, page=TIMELINE)
    return render(
        request,
        "leads/lead_detail.html",
        {
            "lead": lead,
            "timeline": timeline,
            "page": page,
            "highlight": highlight,
            # auto_id: apart from the filters' ids
            "form": CallForm(lead=lead, membership=membership, auto_id="log_%s"),
        },
    )
