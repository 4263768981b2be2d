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
from accounts.tenancy import current_membership, current_organization, required_organization
from activities import services
from activities.audio import ranged_file_response
from activities.csv_export import calls_csv_response
from activities.filters import TimelineFilter
from activities.forms import CallForm, QuickLogForm
from activities.models import Call, Transcript, call_links
from activities.panels import CALL, TIMELINE, TRANSCRIPT, attach_panels
from activities.undo import UNDO_SECONDS, CannotUndo, check_undo, undo_token
from core.keyset import Cursor, keyset_page
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


def _shows_cost(request):
    """Whether the pages show what calls cost: where the organization turns it on."""
    return current_organization(request).show_call_cost


def _timeline_url(call):
    """The lead's page, scrolled to `call` and highlighting it."""
    return f"{call.lead.get_absolute_url()}?highlight={call.id}#call-{call.id}"


def _call_list_filter(request, calls):
    """The filters of all calls as asked; a member who asked for no rep gets their own calls
    (`user_id=` with no value asks for everyone's). Return (filter, whether it chose theirs)."""
    membership = current_membership(request)
    data = request.GET
    mine = "user_id" not in data and not roles.is_admin(membership)
    if mine:
        data = data.copy()
        data["user_id"] = membership.user_id
    organization = membership.organization
    return TimelineFilter(data, queryset=calls, organization=organization), mine


def _links_of_leads(calls):
    """Set `call.lead_url` on each of `calls`: one reverse() for the page, not one per call."""
    before, after = reverse("leads:detail", args=["__id__"]).split("__id__")
    for call in calls:
        call.lead_url = f"{before}{call.lead_id}{after}"


@login_required
def call_list(request):
    """The organization's calls across its leads, newest first, filtered as a lead's timeline
    is, in pages by keyset (`before`/`after`: core/keyset.py)."""
    organization = required_organization(request)
    membership = current_membership(request)
    calls = Call.objects.for_organization(organization).as_rows().select_related("lead")
    listed, mine = _call_list_filter(request, calls)
    page = keyset_page(
        listed.qs,
        size=CALLS_PER_PAGE,
        before=Cursor.parse(request.GET.get("before")),
        after=Cursor.parse(request.GET.get("after")),
    )
    links = call_links([call.id for call in page])
    for call in page:
        call.links = links[call.id]
        call.changeable = roles.can_change_call(membership, call)
    _links_of_leads(page)
    attach_panels(page, page=TIMELINE)
    context = {
        "listed": listed,
        "mine": mine,
        "asked": "user_id" in request.GET or any(request.GET.get(n) for n in listed.visible),
        "filters_set": listed.active_count - mine,  # the rep chosen for a member is not one
        "page": page,
        "show_cost": organization.show_call_cost,
        "may_export": roles.can_export_calls(membership),
    }
    return render(request, "activities/call_list.html", context)


@login_required
def call_list_csv(request):
    """All calls as `call_list` filters them, as a CSV download: an organization admin's."""
    organization = required_organization(request)
    roles.require(roles.can_export_calls, current_membership(request))
    listed, _ = _call_list_filter(request, Call.objects.for_organization(organization))
    return calls_csv_response(listed.qs.order_by("-activity_at", "-id"), request)


@login_required
def call_detail(request, call_id):
    call = _get_call_for_user(request, call_id)
    call.links = call_links([call.id])[call.id]
    attach_panels([call], page=CALL)
    return render(
        request,
        "activities/call_detail.html",
        {"call": call, "calls": [call], "lead": call.lead, "show_cost": _shows_cost(request)},
    )


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
    form = QuickLogForm(request.POST, lead=lead, membership=current_membership(request))
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
        paginator = Paginator(timeline.qs, CALLS_PER_PAGE)
        if not timeline.narrows:
            paginator.count = lead.calls_count  # kept by the call services: no COUNT
        page = paginator.get_page(page_number)
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
            "show_cost": lead.organization.show_call_cost,
        }
        html = render_to_string("activities/lead_calls.html", context, request)
        return html, form.media + self.media
