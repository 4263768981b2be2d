from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe
from rest_framework.exceptions import AuthenticationFailed

from accounts import roles
from accounts.authentication import ApiKeyAuthentication
from accounts.tenancy import current_membership, current_organization
from activities import services
from activities.audio import ranged_file_response
from activities.filters import TimelineFilter
from activities.forms import CallForm, QuickLogForm
from activities.models import Call, Transcript, call_links
from activities.panels import CALL, TIMELINE, TRANSCRIPT, attach_panels
from activities.undo import UNDO_SECONDS, CannotUndo, check_undo, undo_token
from core.large_uploads import accepts_large_uploads
from leads.models import Lead
from leads.pages import LeadSection

AUDIO_KINDS = ("recording", "voicemail")
CALLS_PER_PAGE = 50


def _get_call_for_user(request, call_id):
    calls = Call.objects.for_organization(current_organization(request))
    call = get_object_or_404(calls.with_people().select_related("lead"), pk=call_id)
    call.changeable = roles.can_change_call(current_membership(request), call)
    return call


def _get_call_to_change(request, call_id):
    """The call, if the user may edit or delete it (else the 403 page saying who may)."""
    call = _get_call_for_user(request, call_id)
    roles.require(roles.can_change_call, current_membership(request), call)
    return call


def _timeline_url(call):
    """The lead's page, scrolled to `call` and highlighting it."""
    return f"{call.lead.get_absolute_url()}?highlight={call.id}#call-{call.id}"


@login_required
def call_detail(request, call_id):
    call = _get_call_for_user(request, call_id)
    attach_panels([call], page=CALL)
    return render(request, "activities/call_detail.html", {"call": call, "lead": call.lead})


def _get_lead_for_user(request, lead_id):
    leads = Lead.objects.for_organization(current_organization(request))
    return get_object_or_404(leads.prefetch_related("contacts"), pk=lead_id)


def _prefilled(request, lead):
    """The contact and number of the link that opened the form ("Log a call to …")."""
    initial = {}
    contact_id = request.GET.get("contact")
    for contact in lead.contacts.all():
        if contact.id == contact_id:
            initial.update(contact=contact, phone=contact.first_phone or "")
    if phone := request.GET.get("phone", "").strip()[: CallForm.base_fields["phone"].max_length]:
        initial["phone"] = phone
    return initial


@accepts_large_uploads
@login_required
def call_create(request, lead_id):
    lead = _get_lead_for_user(request, lead_id)
    form = CallForm(
        request.POST or None,
        request.FILES or None,
        lead=lead,
        membership=current_membership(request),
        initial=_prefilled(request, lead),
    )
    if request.method == "POST" and form.is_valid() and (call := form.save(request.user)):
        messages.success(request, "The call was logged.")
        return redirect(_timeline_url(call))
    return render(request, "activities/call_form.html", {"form": form, "lead": lead})


@login_required
@require_POST
def call_quick_log(request, lead_id):
    """Log an outbound call that did not connect in one click; undoable for a few seconds."""
    lead = _get_lead_for_user(request, lead_id)
    form = QuickLogForm(request.POST, lead=lead)
    if not form.is_valid():
        messages.error(request, "The call was not logged: pick one of the lead's contacts.")
        return redirect(lead)
    call = form.save(request.user)
    context = {"call": call, "token": undo_token(call), "seconds": UNDO_SECONDS}
    messages.success(request, render_to_string("activities/undo_message.html", context, request))
    return redirect(_timeline_url(call))


@login_required
@require_POST
def call_undo(request, call_id):
    call = _get_call_for_user(request, call_id)
    try:
        check_undo(call, request.user, request.POST.get("token", ""))
    except CannotUndo as refusal:
        messages.error(request, str(refusal))
        return redirect(_timeline_url(call))
    services.call_delete(call, deleted_by=request.user)
    messages.success(request, "Undone: the call was removed.")
    return redirect(call.lead)


@accepts_large_uploads
@login_required
def call_edit(request, call_id):
    call = _get_call_to_change(request, call_id)
    form = CallForm(
        request.POST or None,
        request.FILES or None,
        lead=call.lead,
        call=call,
        membership=current_membership(request),
    )
    if request.method == "POST" and form.is_valid() and form.save(request.user) is not None:
        messages.success(request, "The call was saved.")
        return redirect(_timeline_url(call))
    return render(
        request, "activities/call_form.html", {"form": form, "lead": call.lead, "call": call}
    )


@login_required
def call_delete(request, call_id):
    call = _get_call_to_change(request, call_id)
    if request.method == "POST":
        services.call_delete(call, deleted_by=request.user)
        messages.success(request, "The call was deleted.")
        return redirect(call.lead)
    return render(request, "activities/call_confirm_delete.html", {"call": call, "lead": call.lead})


@login_required
def call_transcript(request, call_id):
    call = _get_call_for_user(request, call_id)
    attach_panels([call], page=TRANSCRIPT)
    transcripts = sorted(call.transcripts.all(), key=lambda t: t.kind != Transcript.Kind.RECORDING)
    return render(
        request,
        "activities/call_transcript.html",
        {"call": call, "lead": call.lead, "transcripts": transcripts},
    )


@require_safe
def call_audio(request, call_id, kind):
    """A call's uploaded recording or voicemail, for a signed-in member or an API key."""
    try:
        credentials = ApiKeyAuthentication().authenticate(request)
    except AuthenticationFailed as error:
        response = HttpResponse(str(error.detail), status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Basic realm="api"'
        return response
    if credentials is not None:
        request.user, request.auth = credentials
    elif not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("login"))
    if kind not in AUDIO_KINDS:
        raise Http404("No such audio.")
    calls = Call.objects.for_organization(current_organization(request))
    call = get_object_or_404(calls, pk=call_id)
    field_file = getattr(call, f"{kind}_file")
    if not field_file:
        raise Http404("This call has no uploaded audio of that kind.")
    try:
        return ranged_file_response(request, field_file)
    except FileNotFoundError:
        raise Http404("The audio file is missing from storage.") from None


def _page_of(calls, call_id):
    """Return the number of the timeline page that shows the call `call_id`."""
    call = calls.filter(pk=call_id).first() if call_id else None
    if call is None:
        return 1
    newer = calls.filter(
        Q(activity_at__gt=call.activity_at) | Q(activity_at=call.activity_at, id__gt=call.id)
    )
    return newer.count() // CALLS_PER_PAGE + 1


class LeadCalls(LeadSection):
    """The lead pages' calls: the latest call in the list; the timeline and the form to log a
    call on a lead's page."""

    list_heading = "Last call"
    list_cell_template = "activities/lead_last_call.html"
    skip_links = [("log-call", "Skip to the log-a-call form")]
    contact_template = "activities/contact_calls.html"
    media = forms.Media(js=["js/call-form.js"])

    def list_queryset(self, leads):
        latest = Prefetch(
            "calls", queryset=Call.objects.select_related("user")[:1], to_attr="latest_calls"
        )
        return leads.prefetch_related(latest)

    def render(self, request, lead):
        calls = Call.objects.timeline(lead)
        timeline = TimelineFilter(
            request.GET or None, queryset=calls, organization=lead.organization
        )
        highlight = request.GET.get("highlight")
        page_number = request.GET.get("page") or _page_of(timeline.qs, highlight)
        page = Paginator(timeline.qs, CALLS_PER_PAGE).get_page(page_number)
        links = call_links([call.id for call in page])
        membership = current_membership(request)
        for call in page:
            call.links = links[call.id]
            call.changeable = roles.can_change_call(membership, call)
        attach_panels(page, page=TIMELINE)
        # auto_id: apart from the filters' ids
        form = CallForm(lead=lead, membership=membership, auto_id="log_%s")
        context = {
            "lead": lead,
            "timeline": timeline,
            "page": page,
            "highlight": highlight,
            "form": form,
        }
        html = render_to_string("activities/lead_calls.html", context, request)
        return html, form.media + self.media
