from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.forms import TimeZoneForm
from accounts.tenancy import choose_organization


@login_required
def account_settings(request):
    form = TimeZoneForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Times are now shown in {form.instance.time_zone}.")
        return redirect("account_settings")
    return render(request, "accounts/settings.html", {"form": form})


@login_required
@require_POST
def switch_organization(request):
    if not choose_organization(request, request.POST.get("organization", "")):
        messages.error(request, "You are not a member of that organization.")
    return redirect("leads:list")
