"""Undoing a call logged in one click, for a few seconds after (activities.views.call_undo).

The flash message of a quick log carries a token signed with the call's id, its rep and when it
was last changed. Undo deletes the call only while the token is fresh and the call is as it was:
still the same rep's, logged by them, and not changed since. Otherwise the call stays; the rep
deletes it from the timeline as any other.
"""

from django.core import signing

UNDO_SECONDS = 10
_SALT = "activities.undo"


class CannotUndo(Exception):
    """Why a call cannot be undone, in a sentence for the rep."""


def undo_token(call):
    return signing.dumps([call.id, call.created_by_id, call.date_updated.isoformat()], salt=_SALT)


def check_undo(call, user, token):
    """Raise CannotUndo unless `user` may undo `call` with `token` now."""
    try:
        call_id, user_id, updated = signing.loads(token, salt=_SALT, max_age=UNDO_SECONDS)
    except signing.SignatureExpired:
        raise CannotUndo(
            "Too late to undo: the call stays. Delete it from the timeline if it should go."
        ) from None
    except signing.BadSignature:
        raise CannotUndo("This call cannot be undone.") from None
    if call_id != call.id or user_id != user.pk:
        raise CannotUndo("This call cannot be undone.")
    if (call.user_id, call.created_by_id) != (user.pk, user.pk) or (
        call.date_updated.isoformat() != updated
    ):
        raise CannotUndo("The call changed since it was logged: it stays.")
