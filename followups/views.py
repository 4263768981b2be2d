"""The follow-ups on the pages: a lead's tasks (a LeadSection), adding one, completing and
snoozing one (POST forms that work without JavaScript, back to the page they came from)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts import roles
from accounts.tenancy import current_membership, current_organization
from followups import services
from followups.forms import FollowUp, SnoozeForm, TaskForm, day_label
from followups.models import DAY_ORDER, Task
from leads.models import Lead
from leads.pages import LeadSection

MEDIA = FollowUp.media


def _get_task_to_change(request, task_id):
    """The task, within the organization (404 otherwise), if the user may change it (403)."""
    tasks = Task.objects.for_organization(current_organization(request))
    task = get_object_or_404(tasks.select_related("lead", "contact"), pk=task_id)
    roles.require(roles.can_change_task, current_membership(request), task)
    return task


def _back(request, task):
    """Where a task's form came from (`next`, a path of this site), else its lead's page."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(task.get_absolute_url())


def lead_tasks(lead, membership):
    """Return `lead`'s incomplete tasks, soonest first, each told whether it is late and
    whether the member may change it."""
    zone, today = timezone.get_current_timezone(), timezone.localdate()
    tasks = list(
        Task.objects.filter(organization=lead.organization_id, lead=lead, is_complete=False)
        .select_related("assigned_to", "contact", "lead")
        .in_day_order(zone)
        .order_by(*DAY_ORDER, "id")
    )
    for task in tasks:
        day = task.day_in(zone)
        task.late = day is not None and day < today
        task.changeable = roles.can_change_task(membership, task)
    return tasks


class LeadTasks(LeadSection):
    """The lead's page: its open follow-ups, and a form to add one."""

    def render(self, request, lead):
        membership = current_membership(request)
        context = {
            "lead": lead,
            "tasks": lead_tasks(lead, membership),
            "today": timezone.localdate(),
            "task_form": TaskForm(lead=lead, user=request.user, auto_id="task_%s"),
            "next": request.get_full_path(),
        }
        return render_to_string("followups/lead_tasks.html", context, request), MEDIA


@login_required
def task_create(request, lead_id):
    leads = Lead.objects.for_organization(current_organization(request))
    lead = get_object_or_404(
        leads.select_related("organization").prefetch_related("contacts"), pk=lead_id
    )
    form = TaskForm(request.POST or None, lead=lead, user=request.user)
    if request.method == "POST" and form.is_valid() and (task := form.save(request.user)):
        messages.success(request, f"Follow-up added for {day_label(task.date)}.")
        return redirect(task.get_absolute_url())
    return render(request, "followups/task_form.html", {"task_form": form, "lead": lead})


@require_POST
@login_required
def task_complete(request, task_id):
    task = _get_task_to_change(request, task_id)
    services.task_complete(task, completed_by=request.user)
    messages.success(request, f"Done: {task.title}.")
    return _back(request, task)


@require_POST
@login_required
def task_snooze(request, task_id):
    task = _get_task_to_change(request, task_id)
    form = SnoozeForm(request.POST)
    if form.is_valid():
        day = form.cleaned_data["day"]
        services.task_snooze(task, until=day, snoozed_by=request.user)
        messages.success(request, f"Snoozed to {day_label(day)}: {task.title}.")
    else:
        messages.error(request, " ".join(form.errors.get("__all__", [])) or _first_error(form))
    return _back(request, task)


def _first_error(form):
    return next(iter(form.errors.values()))[0]
