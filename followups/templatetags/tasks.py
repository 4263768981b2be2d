from django import template
from django.utils import dateformat, timezone

register = template.Library()

NEAR = {-1: "Yesterday", 0: "Today", 1: "Tomorrow"}


@register.filter
def due(task):
    """When `task` is due, as a rep reads it: "Today", "Yesterday, 14:05", "Mon 7 Dec"."""
    if task.due_at is not None:
        moment = timezone.localtime(task.due_at)
        day, time = moment.date(), dateformat.format(moment, ", H:i")
    elif task.date is not None:
        day, time = task.date, ""
    else:
        return "No date"
    near = NEAR.get((day - timezone.localdate()).days)
    return (near or dateformat.format(day, "D j M")) + time
