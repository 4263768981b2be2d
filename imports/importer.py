"""One batch of rows, read, checked and (when the step writes) written.

The dry run and the import run the same code: each row's cells are parsed (`imports.values`),
its lead, contact, rep and outcome found (`imports.matching`), and its call made and validated
by the services the API uses, `activities.services.call_build` for a new call and `call_amend`
for one imported before (the note coupling, the defaults and the seed's rules in `Call.clean`).
Nothing is saved then. When the step writes, the batch's new leads are created through
`leads.services`, and its calls saved by `activities.services.calls_write`: one statement for
the new ones, one UPDATE per set of changed fields, each change announced to CHANGE_RECEIVERS as
`call_create` and `call_update` announce theirs. A row the rules refuse is rejected, with why.

Calls are found again by (source, id in that source), or by their own id when the file is one
of closecalls' (or Close's) exports of this organization's calls.
"""

import datetime
import zoneinfo
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Q

from activities import services as activities
from activities.models import Call
from api.errors import messages_in_values
from core.csv_files import csv_value
from imports.columns import LABELS
from imports.files import column_label
from imports.matching import LeadDirectory, Members, NewLead, Outcomes
from imports.models import CreatedLead, SeenId
from imports.values import PARSERS, CellError
from leads import services as leads
from leads.models import Contact, Lead

CALL_ID_PREFIX = "acti_"
# The call fields a column feeds as it is.
PLAIN_FIELDS = (
    "activity_at", "date_answered", "direction", "status", "disposition", "duration",
    "voicemail_duration", "note", "note_html", "recording_url", "voicemail_url", "cost",
    "call_method",
)  # fmt: skip

# The columns that feed a call field that no column feeds as it is.
FED_BY = {
    "duration": ("duration", "duration_ms"),
    "phone": ("phone", "to_number", "from_number"),
    "local_phone": ("local_phone", "from_number", "to_number"),
    "lead": ("lead_id", "lead_name", "contact_email", "contact_id"),
    "contact": ("contact_id", "contact_email", "phone"),
}


@dataclass
class Context:
    """How the file writes its values: what parsers need besides the cell."""

    time_zone: datetime.tzinfo
    day_first: bool


@dataclass
class Row:
    line: int
    cells: list
    values: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)
    lead: object = None  # a Lead, or a NewLead
    contact: Contact = None

    @property
    def external_id(self):
        return self.values.get("external_id")


@dataclass
class BatchResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    leads_created: int = 0
    rejected: list = field(default_factory=list)  # Rows
    seen: list = field(default_factory=list)  # SeenIds to add


class Importer:
    """The rows of `call_import`, batch by batch, for one step: the dry run (write=False) or
    the import. It reads the organization's leads, members and outcomes once."""

    def __init__(self, call_import, *, write):
        self.call_import = call_import
        self.organization = call_import.organization
        self.actor = call_import.created_by
        self.write = write
        self.context = Context(zoneinfo.ZoneInfo(call_import.time_zone), call_import.day_first)
        self.fields = {
            field_name: index for index, field_name in enumerate(call_import.columns) if field_name
        }
        self.directory = LeadDirectory(self.organization)
        self.members = Members(self.organization) if "user" in self.fields else None
        self.outcomes = Outcomes(self.organization) if "outcome" in self.fields else None

    def label(self, field_name):
        """How an error names a field: by the column that feeds it."""
        for name in FED_BY.get(field_name, (field_name,)):
            if name in self.fields:
                return column_label(self.call_import.header, self.fields[name])
        return LABELS.get(field_name, field_name.replace("_", " ").capitalize())

    def run(self, lines):
        """Check the batch `lines` ((line, cells) pairs) and, when writing, write it."""
        result = BatchResult()
        rows = [self.parse(line, cells) for line, cells in lines]
        result.seen = self._note_ids(rows)
        existing = self._existing_calls(rows)
        self._find_leads(rows)
        created, amended = [], []
        for row in rows:
            if row.errors:
                continue
            call = existing.get(row.external_id)
            try:
                fields = self._call_fields(row, call)
                if call is None:
                    created.append((row, self._build(row, fields)))
                else:
                    amendment = activities.call_amend(call, updated_by=self.actor, fields=fields)
                    if amendment.changed:
                        amended.append((row, amendment))
                    else:
                        result.unchanged += 1
            except ValidationError as error:
                row.errors.extend(self._messages(error))
            except CellError as error:
                row.errors.append(str(error))
        result.rejected = [row for row in rows if row.errors]
        result.leads_created = self._new_leads([*created, *amended])
        if self.write:
            activities.calls_write(
                created=[call for _, call in created],
                amended=[amendment for _, amendment in amended],
                actor=self.actor,
            )
        result.created, result.updated = len(created), len(amended)
        return result

    def parse(self, line, cells):
        """The row's values, by field; a cell that cannot be its field's value is an error."""
        row = Row(line, cells)
        if any("\x00" in cell for cell in cells):
            row.errors.append("The row holds a NUL character, which cannot be stored.")
            return row
        width = len(self.call_import.header)
        if len(cells) > width and any(cell.strip() for cell in cells[width:]):
            row.errors.append(f"The row has {len(cells)} cells; the header names {width}.")
            return row
        for field_name, index in self.fields.items():
            text = csv_value(cells[index]) if index < len(cells) else ""
            if not text.strip():
                continue
            try:
                value = PARSERS[field_name](text, self.context)
            except CellError as error:
                row.errors.append(f"{self.label(field_name)}: {error}")
                continue
            if value is not None:
                row.values[field_name] = value
        for required in ("external_id", "activity_at"):
            if required not in row.values and not row.errors:
                row.errors.append(f"{self.label(required)} is empty.")
        return row

    def _note_ids(self, rows):
        """Refuse a row whose id an earlier row of the file had; return the new SeenIds."""
        first = {}
        for row in rows:
            if row.external_id is None:
                continue
            if row.external_id in first:
                row.errors.append(_again(row.external_id, first[row.external_id]))
            else:
                first[row.external_id] = row.line
        earlier = dict(
            SeenId.objects.filter(
                call_import=self.call_import, external_id__in=list(first)
            ).values_list("external_id", "line")
        )
        for row in rows:
            line = earlier.get(row.external_id)
            if line is not None and not row.errors:
                row.errors.append(_again(row.external_id, line))
        return [
            SeenId(call_import=self.call_import, external_id=external_id, line=line)
            for external_id, line in first.items()
            if external_id not in earlier
        ]

    def _existing_calls(self, rows):
        """{id: call} of the calls the rows' ids find: imported before from this source, or
        this organization's own (an export of closecalls or Close)."""
        ids = [row.external_id for row in rows if not row.errors]
        own = [external_id for external_id in ids if external_id.startswith(CALL_ID_PREFIX)]
        source = self.call_import.source
        calls = Call.objects.filter(organization=self.organization).filter(
            Q(external_source=source, external_id__in=ids) | Q(pk__in=own)
        )
        calls = calls.select_related("lead", "contact", "user", "outcome", "created_by")
        if self.write:
            calls = calls.select_for_update(of=("self",))  # changed by nobody else meanwhile
        found = {}
        for call in calls:
            call.organization = self.organization
            if call.external_source == source and call.external_id in ids:
                found[call.external_id] = call
            else:
                found.setdefault(call.pk, call)
        return found

    def _find_leads(self, rows):
        """Give each row its lead and contact: two queries for the batch."""
        lead_ids, contact_ids = set(), set()
        for row in rows:
            lead_ids.add(row.values.get("lead_id"))
            contact_ids.add(row.values.get("contact_id"))
        by_id = self._leads_and_contacts(lead_ids, contact_ids)
        wanted_leads, wanted_contacts = set(), set()
        for row in rows:
            if row.errors:
                continue
            try:
                row.lead, row.contact = self._clues(row, by_id)
            except CellError as error:
                row.errors.append(str(error))
                continue
            except ValidationError as error:
                row.errors.extend(f"The new lead: {message}" for message in error.messages)
                continue
            if isinstance(row.lead, str):
                wanted_leads.add(row.lead)
            if isinstance(row.contact, str):
                wanted_contacts.add(row.contact)
        found = self._leads_and_contacts(wanted_leads, wanted_contacts)
        for row in rows:
            if isinstance(row.lead, str):
                row.lead = found.get(row.lead)
                if row.lead is None:
                    row.errors.append("The lead was deleted during the import.")
            if isinstance(row.contact, str):
                row.contact = found.get(row.contact)

    def _leads_and_contacts(self, lead_ids, contact_ids):
        lead_ids, contact_ids = lead_ids - {None}, contact_ids - {None}
        found = {}
        if lead_ids:
            leads_found = Lead.objects.for_organization(self.organization).filter(pk__in=lead_ids)
            found.update((lead.pk, lead) for lead in leads_found)
        if contact_ids:
            contacts = Contact.objects.filter(organization=self.organization, pk__in=contact_ids)
            found.update((contact.pk, contact) for contact in contacts)
        return found

    def _clues(self, row, by_id):
        values = row.values
        lead = by_id.get(values.get("lead_id"))
        contact = by_id.get(values.get("contact_id"))
        email, name = values.get("contact_email"), values.get("lead_name")
        phone = self._remote_phone(values, values.get("direction") or "outbound")
        lead, contact_id = self.directory.find(
            lead=lead, contact=contact, email=email, phone=phone, name=name
        )
        if lead is None:
            contact_name = values.get("contact_name")
            if not (self.call_import.create_leads and (name or contact_name or email or phone)):
                raise CellError(self._not_found(values))
            lead = self.directory.new_lead(
                name=name, contact_name=contact_name, email=email, phone=phone
            )
        return lead, contact_id

    def _not_found(self, values):
        clues = [
            f"{LABELS[name].lower()} {values[name]}"
            for name in ("lead_id", "contact_id", "contact_email", "phone", "lead_name")
            if values.get(name)
        ]
        if not clues:
            return "The row gives nothing to find its lead by (a lead id or name, a contact)."
        return "No lead found by " + ", ".join(clues) + "."

    @staticmethod
    def _remote_phone(values, direction):
        """The contact's number: the phone column, else the number at the contact's end."""
        if "phone" in values:
            return values["phone"]
        return values.get("to_number" if direction == "outbound" else "from_number")

    def _call_fields(self, row, call):
        """The call's fields from the row; a value the row does not give is left as it is."""
        values = row.values
        fields = {name: values[name] for name in PLAIN_FIELDS if name in values}
        if "duration_ms" in values:
            fields["duration"] = values["duration_ms"]
        direction = values.get("direction") or (call.direction if call else "outbound")
        remote = self._remote_phone(values, direction)
        local = values.get("local_phone") or values.get(
            "from_number" if direction == "outbound" else "to_number"
        )
        if remote:
            fields["phone"] = remote
        if local:
            fields["local_phone"] = local
        if isinstance(row.lead, NewLead):
            fields["lead"] = row.lead.lead or row.lead.draft_for(self.organization)
            fields["contact"] = row.lead.contact
        else:
            fields["lead"] = row.lead
            if row.contact is not None or call is None or call.lead_id != row.lead.pk:
                fields["contact"] = row.contact
        if "user" in values:
            fields["user"] = self.members.find(values["user"])
        elif call is None:
            fields["user"] = None  # not the importing admin: the file names no rep
        if "outcome" in values:
            fields["outcome"] = self.outcomes.find(values["outcome"])
        return fields

    def _build(self, row, fields):
        fields = {
            **fields,
            "external_source": self.call_import.source,
            "external_id": row.external_id,
            "import_id": self.call_import.pk,
        }
        return activities.call_build(
            organization=self.organization, created_by=self.actor, fields=fields
        )

    def _new_leads(self, written):
        """Count the leads the batch's calls need created; create them when writing."""
        count = 0
        for row, written_call in written:
            new = row.lead
            if not isinstance(new, NewLead):
                continue
            if not new.used:
                new.used = True
                count += 1
                if self.write:
                    self._create_lead(new)
            if self.write:
                call = getattr(written_call, "call", written_call)  # a Call or a CallAmendment
                call.lead, call.contact = new.lead, new.contact
        return count

    def _create_lead(self, new):
        new.lead = leads.lead_create(
            organization=self.organization, created_by=self.actor, fields={"name": new.name}
        )
        if new.contact_fields:
            new.contact = leads.contact_create(
                organization=self.organization,
                created_by=self.actor,
                lead=new.lead,
                fields=new.contact_fields,
            )
        CreatedLead.objects.create(call_import=self.call_import, lead=new.lead)

    def _messages(self, error):
        """The rules' messages in the file's words: choices by their values, as its cells hold
        them, each field by its column's name."""
        if not hasattr(error, "error_dict"):
            return messages_in_values(error)
        messages = []
        for name, errors in error.error_dict.items():
            for message in messages_in_values(ValidationError(errors)):
                if name == NON_FIELD_ERRORS:
                    messages.append(message)
                else:
                    messages.append(f"{self.label(name)}: {message}")
        return messages


def _again(external_id, line):
    return f"The id {external_id} is on line {line:,} already: a file gives each call once."
