"""What each role may do in its organization: the one place the API, the pages and the admin ask.

A member logs calls as themselves, changes and deletes the calls they are the rep of or logged,
and creates and edits leads and contacts. An organization admin may also change anyone's calls,
log a call as (or hand it to) another member, manage the organization's outcomes, delete
leads and contacts, and download the calls as CSV. Anyone in the organization reads everything
in it.

Follow-up tasks go as calls do: a member creates them for themselves and for others, and
changes (completes, snoozes, hands over, deletes) those assigned to them or created by them;
an organization admin any.

The rules look only at attributes (`membership.role`, `membership.user_id`, `call.user_id`,
`call.created_by_id`, `task.assigned_to_id`, ...), so this module imports no app above
accounts. They assume the object is already within the membership's organization: the
querysets see to that. A rule given no
membership (None) allows nothing. Each rule carries its `refusal`, the sentence a refused
caller reads; `require()` raises it as PermissionDenied, which the API answers with a 403 in
Close's error shape and the pages and the admin with the 403 page.
"""

from django.core.exceptions import PermissionDenied

from accounts.models import Membership


def _refusal(message):
    def attach(rule):
        rule.refusal = message
        return rule

    return attach


def is_admin(membership):
    return membership is not None and membership.role == Membership.Role.ADMIN


@_refusal("Only the call's rep, whoever logged it, or an organization admin can change it.")
def can_change_call(membership, call):
    """Whether the member may edit or delete `call`: theirs as its rep or its creator."""
    if membership is None:
        return False
    return is_admin(membership) or membership.user_id in (call.user_id, call.created_by_id)


@_refusal("Only an organization admin can log a call as another user.")
def can_log_calls_for_others(membership):
    return is_admin(membership)


@_refusal("Only an organization admin can log a call as another user.")
def can_set_rep(membership, user, call=None):
    """Whether the member may make `user` (a User or None) the rep of a new call, or of `call`.

    A member may name only themselves, or keep the rep `call` already has.
    """
    if membership is None:
        return False
    user_id = getattr(user, "pk", None)
    kept = call is not None and user_id == call.user_id
    return can_log_calls_for_others(membership) or kept or user_id == membership.user_id


@_refusal("Only an organization admin can create, change or delete outcomes.")
def can_manage_outcomes(membership):
    return is_admin(membership)


@_refusal("Only a member of the organization can change its leads and contacts.")
def can_change_leads(membership):
    """Whether the member may create and edit leads and contacts: every member may."""
    return membership is not None


@_refusal("Only an organization admin can delete a lead.")
def can_delete_lead(membership):
    return is_admin(membership)


@_refusal("Only an organization admin can delete a contact.")
def can_delete_contact(membership):
    return is_admin(membership)


@_refusal("Only an organization admin can download the calls as CSV.")
def can_export_calls(membership):
    return is_admin(membership)


@_refusal("Only the task's assignee, whoever created it, or an organization admin can change it.")
def can_change_task(membership, task):
    """Whether the member may edit, complete or delete `task`: assigned to them or theirs."""
    if membership is None:
        return False
    return is_admin(membership) or membership.user_id in (task.assigned_to_id, task.created_by_id)


def require(rule, membership, *args):
    """Raise PermissionDenied with the rule's refusal unless `rule(membership, *args)` holds."""
    if not rule(membership, *args):
        raise PermissionDenied(rule.refusal)
