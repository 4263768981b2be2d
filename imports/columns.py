"""What a column of the file can be, and the first guess of which column is which.

A column feeds one of the FIELDS below, or nothing. The guess reads the header's names, compared
without case, spaces or punctuation ("Call Duration", "call_duration" and "CallDuration" are
one), against the names Close's CSV export (the admin's, as the API names fields), HubSpot's
call export and properties, and Salesforce's Task fields use. What the organization chose
last time for a column of that name comes first (`imports.models.RememberedColumns`).
"""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    name: str
    label: str


FIELDS = (
    Field("external_id", "Id in the other system"),
    Field("activity_at", "Date and time of the call"),
    Field("lead_id", "Lead id"),
    Field("lead_name", "Lead (company) name"),
    Field("contact_id", "Contact id"),
    Field("contact_name", "Contact name"),
    Field("contact_email", "Contact email"),
    Field("phone", "Contact's number (the remote phone)"),
    Field("local_phone", "Our number (the local phone)"),
    Field("from_number", "From number (who called)"),
    Field("to_number", "To number (who was called)"),
    Field("user", "Rep (email, name or user id)"),
    Field("direction", "Direction"),
    Field("status", "Status"),
    Field("disposition", "Disposition (how the dial ended)"),
    Field("duration", "Duration (seconds, or h:mm:ss)"),
    Field("duration_ms", "Duration in milliseconds"),
    Field("note", "Note (plain text)"),
    Field("note_html", "Note (HTML)"),
    Field("outcome", "Outcome (id or name)"),
    Field("recording_url", "Recording URL"),
    Field("voicemail_url", "Voicemail URL"),
    Field("voicemail_duration", "Voicemail duration (seconds)"),
    Field("cost", "Cost (US cents)"),
    Field("call_method", "Call method"),
    Field("date_answered", "Date answered"),
)
FIELD_NAMES = frozenset(field.name for field in FIELDS)
LABELS = {field.name: field.label for field in FIELDS}
IGNORED = ""  # a column imported into nothing
REQUIRED = ("external_id", "activity_at")
# At least one of these finds each row's lead.
LEAD_FINDERS = ("lead_id", "lead_name", "contact_id", "contact_email", "phone", "from_number",
                "to_number")  # fmt: skip

# Normalized header names, per field, in the order a guess prefers them when several columns
# of a file could feed the same field.
NAMES = {
    "external_id": ["id", "recordid", "hsobjectid", "activityid", "callid", "externalid"],
    "activity_at": [
        "activityat", "activitydate", "hstimestamp", "calldate", "date", "datetime",
        "timestamp", "starttime", "startedat", "calltime",
    ],
    "lead_id": ["leadid"],
    "lead_name": [
        "leadname", "lead", "company", "companyname", "associatedcompany", "whatname",
        "accountname", "account",
    ],
    "contact_id": ["contactid"],
    "contact_name": ["contactname", "contact", "whoname"],
    "contact_email": [
        "contactemail", "email", "whoemail", "associatedcontact", "associatedcontactemail",
    ],
    "phone": ["phone", "remotephone", "phonenumber", "contactphone", "whophone", "number"],
    "local_phone": ["localphone"],
    "from_number": ["fromnumber", "callfromnumber", "hscallfromnumber"],
    "to_number": ["tonumber", "calltonumber", "hscalltonumber"],
    "user": [
        "userid", "user", "username", "rep", "repemail", "useremail", "owneremail", "owner",
        "ownername", "activityassignedto", "assignedto", "hubspotowner", "callowner", "agent",
    ],
    "direction": ["direction", "calldirection", "hscalldirection", "calltype"],
    "status": ["status", "callstatus", "hscallstatus"],
    "disposition": [
        "disposition", "calldisposition", "calloutcome", "hscalldisposition", "callresult",
    ],
    "duration": ["duration", "callduration", "calldurationinseconds", "durationseconds"],
    "duration_ms": ["durationms", "calldurationms", "hscallduration"],
    "note": ["note", "notes", "callnotes", "hscallbody", "description", "comments", "body"],
    "note_html": ["notehtml"],
    "outcome": ["outcomeid", "outcome"],
    "recording_url": ["recordingurl", "callrecordingurl", "hscallrecordingurl", "recording"],
    "voicemail_url": ["voicemailurl"],
    "voicemail_duration": ["voicemailduration"],
    "cost": ["cost"],
    "call_method": ["callmethod", "method"],
    "date_answered": ["dateanswered"],
}  # fmt: skip


@dataclass(frozen=True)
class Flavor:
    """Whose export a file looks like: its name, the source it defaults to, and the few names
    it uses in its own way."""

    name: str
    source: str
    marks: frozenset = frozenset()
    overrides: tuple = ()

    def matches(self, names):
        return bool(self.marks & names)


CLOSE = Flavor("close", "Close", frozenset({"type", "organizationid"}))
HUBSPOT = Flavor(
    "hubspot",
    "HubSpot",
    frozenset({"recordid", "calltitle", "callnotes", "calloutcome", "hscallbody", "hstimestamp"}),
    # HubSpot's call duration (hs_call_duration) is in milliseconds.
    (("callduration", "duration_ms"),),
)
SALESFORCE = Flavor(
    "salesforce",
    "Salesforce",
    frozenset({"calldurationinseconds", "calldisposition", "callobject", "whoid", "whatid"}),
    # A Task's Status and Type are the task's (Completed, Not Started; Call, Email), not the
    # call's: they are not guessed.
    (("status", IGNORED), ("type", IGNORED)),
)
OTHER = Flavor("other", "CSV")
FLAVORS = (CLOSE, HUBSPOT, SALESFORCE)


def normalized(name):
    """A header name compared without case, spaces or punctuation: "Call Duration" is
    "callduration"."""
    return re.sub(r"[^a-z0-9]", "", name.casefold())


def flavor_of(header):
    names = {normalized(name) for name in header}
    return next((flavor for flavor in FLAVORS if flavor.matches(names)), OTHER)


_GUESSES = {name: field for field, names in NAMES.items() for name in names}
_PREFERENCE = {name: rank for names in NAMES.values() for rank, name in enumerate(names)}


def guess(header, remembered=None):
    """Return the field of each column of `header` (IGNORED for none), each field fed by one
    column at most: what `remembered` ({normalized name: field}) says, else the usual names."""
    remembered = remembered or {}
    overrides = dict(flavor_of(header).overrides)
    candidates = []
    for index, name in enumerate(header):
        key = normalized(name)
        if key in remembered and (remembered[key] in FIELD_NAMES or remembered[key] == IGNORED):
            field, rank = remembered[key], -1
        elif key in overrides:
            field, rank = overrides[key], -1
        else:
            field, rank = _GUESSES.get(key, IGNORED), _PREFERENCE.get(key, 0)
        candidates.append((rank, index, field))
    fields = [IGNORED] * len(header)
    taken = set()
    for _, index, field in sorted(candidates):
        if field != IGNORED and field not in taken:
            fields[index] = field
            taken.add(field)
    return fields


def mapping_problems(fields):
    """Return what is wrong with a choice of fields, one column each (sentences)."""
    problems = []
    chosen = [field for field in fields if field != IGNORED]
    for field in sorted({field for field in chosen if chosen.count(field) > 1}):
        problems.append(f"Only one column can be “{LABELS[field]}”.")
    for field in REQUIRED:
        if field not in chosen:
            problems.append(f"Choose the column that holds “{LABELS[field]}”.")
    if not set(chosen) & set(LEAD_FINDERS):
        problems.append(
            "Choose a column that finds each call's lead: a lead id or name, a contact's id, "
            "email or phone number."
        )
    if "duration" in chosen and "duration_ms" in chosen:
        problems.append("Choose one column for the duration, in seconds or in milliseconds.")
    return problems
