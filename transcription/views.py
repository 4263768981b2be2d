from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from accounts.tenancy import current_organization
from activities.models import Call
from transcription import services
from transcription.engines import enabled
from transcription.panels import UPDATE, transcription_panel


def _get_call_for_user(request, call_id):
    calls = Call.objects.for_organization(current_organization(request))
    return get_object_or_404(calls.select_related("user", "contact"), pk=call_id)


@login_required
@require_POST
def transcribe(request, call_id):
    """Queue a transcription of the call's recording or voicemail ("Transcribe again", "Retry")."""
    call = _get_call_for_user(request, call_id)
    kind = request.POST.get("kind")
    if kind not in services.KINDS:
        messages.error(request, "Choose the recording or the voicemail to transcribe.")
    elif not enabled():
        messages.error(request, "Transcription is turned off on this server.")
    elif not services.audio_source(call, kind):
        messages.error(request, f"This call has no {kind}.")
    elif not services.transcribable(call, kind):
        messages.error(
            request,
            f"The {kind}'s transcript was written by hand or through the API: it is kept as it is.",
        )
    else:
        services.transcription_request(call, kind)
        messages.success(request, f"The {kind} will be transcribed in a moment.")
    after = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        after, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        after = call.get_absolute_url()
    return redirect(after)


@login_required
@require_safe
def panel(request, call_id):
    """The call's transcription panel alone, which replaces itself with it as it changes."""
    call = _get_call_for_user(request, call_id)
    shown = transcription_panel([call], page=UPDATE)
    if call.id not in shown:
        return HttpResponse(status=204)  # nothing to show any more: the panel goes
    template, context = shown[call.id]
    return render(request, template, {"call": call, "panel": context})
