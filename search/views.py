from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import F, Prefetch
from django.shortcuts import render
from django.utils import timezone
from django.utils.dates import MONTHS, MONTHS_3, WEEKDAYS, WEEKDAYS_ABBR
from django.views.decorators.http import require_safe

from accounts.tenancy import current_organization
from activities.models import Call, call_links
from leads.models import Contact, Lead
from search.filters import SearchPageFilter
from search.models import Entry
from search.query import QueryError, parse
from search.results import find_calls

CALLS_PER_PAGE = 20
UTTERANCES_PER_TRANSCRIPT = 3
LEADS_SHOWN = 5
ORDERS = {"best": ("rank", "Best match"), "newest": ("activity_at", "Newest")}
MAX_PAGE = 500
# What the page shows of a call, its lead, contact and rep: the rest is not read.
SHOWN = (
    "activity_at", "disposition", "lead__name", "contact__name", "user__first_name",
    "user__last_name", "user__username",
)  # fmt: skip


def _page_number(request):
    value = request.GET.get("page", "")
    return int(value) if value.isdigit() and 1 <= int(value) <= MAX_PAGE else 1


def _when(moment):
    """`moment` in the current time zone as the page shows it: ISO, in full, and short (as the
    `date` filter's "c", "l j F Y, H:i:s T" and "D j M Y, H:i", which cost more than the page's
    queries, three times a call)."""
    local = timezone.localtime(moment)
    weekday, month = local.weekday(), local.month
    return {
        "iso": local.isoformat(),
        "full": f"{WEEKDAYS[weekday]} {local.day} {MONTHS[month]} {local.year}, "
        f"{local:%H:%M:%S} {local.tzname()}",
        "short": f"{WEEKDAYS_ABBR[weekday]} {local.day} {MONTHS_3[month].title()} {local.year}, "
        f"{local:%H:%M}",
    }


def _matching_leads(organization, text):
    """The first leads whose name, or a contact's name, email or phone, has `text`."""
    leads = (
        Lead.objects.for_organization(organization)
        .search(text)
        .prefetch_related(
            Prefetch("contacts", queryset=Contact.objects.all()[:1], to_attr="main_contacts")
        )
        .order_by(F("last_activity_at").desc(nulls_last=True), "-date_created", "-id")
    )
    return list(leads[: LEADS_SHOWN + 1])


@login_required
@require_safe
def search(request):
    """Calls by what was said in them or written in their notes, and leads by name or phone."""
    organization = current_organization(request)
    if organization is None:
        raise PermissionDenied("You are not a member of any organization yet.")
    text = request.GET.get("q", "").strip()
    order = request.GET.get("order") if request.GET.get("order") in ORDERS else "best"
    number = _page_number(request)
    filters = SearchPageFilter(
        request.GET or None,
        queryset=Call.objects.for_organization(organization),
        organization=organization,
    )
    context = {
        "text": text, "filters": filters, "order": order, "orders": ORDERS, "number": number,
        "results": [], "has_more": False, "leads": [], "error": "",
    }  # fmt: skip
    try:
        asked = parse(text)
    except QueryError as error:
        context["error"], asked = str(error), None
    if asked is not None and asked.finds_anything:
        filters.is_valid()
        results, context["has_more"] = find_calls(
            filters.narrow(Entry.objects.filter(organization=organization)),
            asked,
            order=ORDERS[order][0],
            skip=(number - 1) * CALLS_PER_PAGE,
            limit=CALLS_PER_PAGE,
            per_call=UTTERANCES_PER_TRANSCRIPT,
        )
        calls = Call.objects.for_organization(organization).filter(
            pk__in=[result.call_id for result in results]
        )
        calls = calls.select_related("lead", "user", "contact").only(*SHOWN).order_by().in_bulk()
        links = call_links(calls)
        results = [result for result in results if result.call_id in calls]  # else deleted since
        for result in results:
            result.call = calls[result.call_id]
            result.call.links = links[result.call_id]
            result.call.when = _when(result.call.activity_at)
        context["results"] = results
    elif asked is not None and text:
        context["error"] = "Type a word to find: a search of only -words leaves words out."
    if text and number == 1:
        context["leads"] = _matching_leads(organization, text)
    return render(request, "search/search.html", context)
