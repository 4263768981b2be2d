"""The call pages' declared extension point: what the apps above activities show on a call.

A call's row (on its lead's timeline and on its own page) and its transcript page show, below
what activities knows of the call, a panel from each app named in settings.CALL_PANELS, in
order. Each name is the dotted path of a function `panel(calls, *, page)` that returns
{call id: (template name, context)} for the calls it has something to show on; `page` says
where (TIMELINE, CALL or TRANSCRIPT). It is called once for all the calls of a page, so that it
reads what it needs in one query, not one per call. The template is a Django template; on a
timeline (activities/call_rows.py) it is rendered with `panel` (the context), `call` and
`request`.
"""

from django.conf import settings
from django.utils.module_loading import import_string

TIMELINE, CALL, TRANSCRIPT = "timeline", "call", "transcript"


def attach_panels(calls, *, page):
    """Set `call.panels` on each of `calls`: [{"template": ..., "context": ...}, ...]."""
    calls = list(calls)
    for call in calls:
        call.panels = []
    for path in settings.CALL_PANELS:
        shown = import_string(path)(calls, page=page)
        for call in calls:
            if call.id in shown:
                template, context = shown[call.id]
                call.panels.append({"template": template, "context": context})
    return calls
