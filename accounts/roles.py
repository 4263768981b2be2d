"""What each role may do in its organization: the one place the API, the pages and the admin ask.

A member logs calls as themselves, changes and deletes the calls they are the rep of or logged,
and creates and edits leads and contacts, and manages the webhook subscriptions they created.
An organization admin may also change anyone's calls, log a call as (or hand it to) another
member, manage the organization's outcomes and every webhook subscription, delete leads and
contacts, download the calls as CSV, import calls from a file, and read the objects in events
over an hour old. Anyone in the organization reads everything else in it.

Follow-up tasks go as calls do: a member creates them for themselves and for others, and
changes (completes, snoozes, hands over, deletes) those assigned to them or created by them;
an organization admin any.

The rules look only at attributes (`membership.role`, `membership.user_id`, `call.user_id`,
`call.created_by_id`, `task.assigned_to_id`, `subscription.created_by_id`, ...), so this module
imports no app above accounts. They assume the object is already within the membership's
organization: the querysets see to that. A rule given no membership (None) allows nothing.
Each rule carries its `refusal`, the sentence a refused caller reads; `require()` raises it as
PermissionDenied, which the API answers with a 403 in Close's error shape and the pages and
the admin with the 403 page.
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


@_refusal("Only an organization admin can import calls.")
def can_import_calls(membership):
    """Whether the member may import calls from a file, and revert an import: it writes and
    deletes calls of every rep, and may create leads."""
    return is_admin(membership)


@_refusal("Only an organization admin can see other reps' numbers.")
def can_see_team_insights(membership):
    """Whether the member sees every rep's numbers (insights page, activity report); a member
    sees their own, and the team's totals."""
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


@_refusal("Only an organization admin or whoever created a webhook subscription can manage it.")
def can_manage_webhook(membership, subscription):
    if membership is None:
        return False
    return is_admin(membership) or membership.user_id == subscription.created_by_id


def can_manage_every_webhook(membership):
    """Whether the member manages (and sees) every subscription, not only their own."""
    return is_admin(membership)


def can_read_old_event_data(membership):
    """Whether the member sees `data` and `previous_data` of events over an hour old: the
    objects as they were are an admin's to read after that, as in Close."""
    return is_admin(membership)


def require(rule, membership, *args):
    """Raise PermissionDenied with the rule's refusal unless `rule(membership, *args)` holds."""
    if not rule(membership, *args):
        raise PermissionDenied(rule.refusal)
