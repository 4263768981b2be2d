"""The log-a-call form's declared extension point: what the apps above activities add to it.

activities owns the form a rep logs a call with (`activities.forms.CallForm`) but knows nothing
of follow-ups or what comes next. An app adds fields to it, and saves what they hold with the
call, through a `CallFormExtension` named in `settings.CALL_FORM_EXTENSIONS`:

- its `fields()` are added to the form of a new call (not to the edit form), rendered below the
  call's own by its `template`, and validated with them (`clean()`), in the same round;
- its `save()` runs inside the call's own transaction, once the call is written: what it writes
  commits with the call or not at all. A call the rules refuse never reaches it, and a
  ValidationError it raises is shown on the form, with the call not logged.
"""

from django import forms
from django.conf import settings
from django.utils.module_loading import import_string


class CallFormExtension:
    """What one app adds to the log-a-call form. A subclass overrides what it uses."""

    # Renders the extension's fields, given `form` and `fields` ({name: bound field}).
    template = None
    # Its CSS and scripts, added to the form's.
    media = forms.Media()

    def fields(self, *, lead, membership):
        """Return {name: form field} to add; the names must not clash with the form's own."""
        return {}

    def clean(self, data):
        """Check `data` ({name: cleaned value} of its fields); return it, maybe reshaped, or
        raise ValidationError({name: message})."""
        return data

    def save(self, call, data, *, user):
        """Write what `data` (from `clean()`) asks for about the new `call`, logged by `user`."""


def call_form_extensions():
    return [import_string(path)() for path in settings.CALL_FORM_EXTENSIONS]
