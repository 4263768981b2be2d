from datetime import timedelta

from django import template
from django.utils import timezone
from django.utils.timesince import timesince, timeuntil

from activities.call_rows import render_rows
from activities.costs import format_dollars
from activities.models import Call

register = template.Library()


@register.simple_tag(takes_context=True)
def call_rows(context, calls, show_lead=False):
    """The <li> rows of `calls` (activities/call_rows.py), with the page's `highlight` and
    `show_cost`; `show_lead` names each call's lead."""
    return render_rows(
        calls,
        request=context.request,
        highlight=context.get("highlight"),
        show_cost=context.get("show_cost", False),
        show_lead=show_lead,
    )


@register.simple_tag
def quick_dispositions():
    """Return [(value, label)] of the dispositions a call is logged with in one click."""
    return [(choice.value, choice.label) for choice in Call.QUICK_DISPOSITIONS]


@register.filter
def minutes_seconds(seconds):
    """Return a number of seconds as m:ss (or h:mm:ss from an hour on)."""
    if seconds in (None, ""):
        return ""
    minutes, seconds = divmod(int(seconds), 60)
    if minutes >= 60:
        hours, minutes = divmod(minutes, 60)
        return f"{hours}:{minutes:02d}:{seconds:02d}"
    return f"{minutes}:{seconds:02d}"


@register.filter
def dollars(cents):
    """Return a cost in US cents as dollars: 150 -> $1.50, 1.25 -> $0.0125."""
    return format_dollars(cents)


@register.filter
def relative(value):
    """Return how long ago (or from now) `value` is, to the largest unit: "3 hours ago"."""
    if not value:
        return ""
    now = timezone.now()
    if abs(now - value) < timedelta(minutes=1):
        return "just now"
    if value > now:
        return f"in {timeuntil(value, now, depth=1)}"
    return f"{timesince(value, now, depth=1)} ago"


@register.filter
def audio_link(call, kind):
    return call.audio_link(kind)


@register.filter
def audio_preload(call, kind):
    """What a page loads of a call's audio before the rep presses play: the length of a file
    we serve; nothing at all from another origin (an external URL), not even a request."""
    return "metadata" if getattr(call, f"{kind}_file") else "none"
