"""The benchmark dataset, generated deterministically and loaded with COPY.

Two organizations (90 % / 10 % of leads and calls, so that scoping is real), the big one in New
York's time zone with an admin (a manager, who sees the team's insights), 50 reps, outcomes,
leads with one to three contacts, calls that follow the seed's rules, and a ~40-utterance
recording transcript on every tenth call. Notes are what `couple_note` stores for a handful of
rich-text templates. One "hot" lead has exactly 50 calls at every size (the lead scenarios), and
one "sink" lead has none: the POST scenario logs its calls there, and they are deleted before
each run. The search index is written from the loaded transcripts and notes by the same
statement that rebuilds it (search/index.py). For the search scenarios, one transcript in a
hundred says FLEET_SENTENCE once (about a thousand utterances at 1M calls, with "budget" in a
sixth of the notes), and four transcripts at every size say RARE_SENTENCE.
The insights tallies are built from the calls once they are loaded. Runs inside Django, against
the database DATABASE_URL names.

Follow-up tasks: every inbound call missed or left a voicemail has its task, as the app makes
them (followups.receivers), and one in TASK_RATE calls a rep's follow-up to make; most of them
are done, the rest overdue (every date is before END). The scenarios' rep has the same inbox at
every size: INBOX_TASKS overdue follow-ups, the rest of their tasks done.
"""

import datetime
import random
import string
import sys
import time

import orjson
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from accounts.models import Membership, Organization, User
from activities.models import Call, Outcome, Transcript
from activities.notes import couple_note
from bench.scenarios import SEARCH_RARE, SEARCH_WORDS
from followups.models import Task
from followups.receivers import MISSED
from insights import tallies
from insights.models import OutcomeTally, RepTally, TeamTally
from leads.models import Contact, Lead
from leads.phones import digits_only
from search import index
from search.models import Entry

# Bump when the generated data changes: datasets of another version are rebuilt.
VERSION = 5
MARKER = "bench_dataset"
REPS = 50
HOT_LEAD_CALLS = 50
BIG_SHARE = 0.9
END = datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)
SPAN = 730 * 86400  # calls spread over the two years before END
TIME_ZONE = "America/New_York"  # the big organization's, and its manager's
# Follow-up tasks: one made by people per TASK_RATE calls; a task still open, one in OPEN_RATE.
TASK_RATE = 20
OPEN_RATE = 30
INBOX_TASKS = 60  # more than the home shows (followups.inbox.INBOX_LIMIT)
ALPHABET = string.ascii_letters + string.digits

FIRST_NAMES = ["Ada", "Ben", "Cleo", "Dev", "Eva", "Finn", "Gia", "Hugo", "Ines", "Jon"]
LAST_NAMES = ["Park", "Quinn", "Reyes", "Stone", "Tran", "Ueda", "Vance", "Wolfe", "Xu", "Young"]
COMPANY_WORDS = ["Acme", "Blue", "Cedar", "Delta", "Echo", "Falcon", "Granite", "Harbor", "Iris"]
COMPANY_KINDS = ["Labs", "Logistics", "Foods", "Health", "Systems", "Partners", "Media", "Works"]
OUTCOMES = ["Demo booked", "Interested", "Not interested", "Call back", "Wrong person", "Closed"]

NOTE_TEMPLATES = [
    "<p>Spoke with the <strong>head of operations</strong>. They run three warehouses and "
    "renew their current contract in <em>March</em>.</p><ul><li>Send pricing for 40 seats</li>"
    "<li>Loop in finance</li></ul>",
    "<p>Left a voicemail about the pilot. Will try again Thursday.</p>",
    "<h2>Discovery</h2><p>Pain points: <u>manual call logging</u>, no visibility for managers."
    '</p><p>Follow-up deck: <a href="https://example.com/deck" onclick="steal()">deck</a></p>',
    "<p>Gatekeeper said the buyer is travelling.</p><script>alert(1)</script>"
    "<ol><li>Email the assistant</li><li>Ask for a slot next week</li></ol>",
    "<blockquote>We will decide after the board meeting.</blockquote><p>Budget approved for "
    "<b>Q3</b>; competitor is cheaper but lacks the dialer.</p>",
    "<p>Quick check-in. No changes.</p>",
]
SENTENCES = [
    "Hi, this is {rep} calling from Closecalls, do you have a minute?",
    "Sure, what is this about?",
    "We help sales teams log every call without typing notes by hand.",
    "We already use a spreadsheet for that, to be honest.",
    "Many of our customers started there; the pain shows up when managers want reports.",
    "That is true, our weekly review takes hours.",
    "How many reps are on your team today?",
    "About forty, spread over two offices.",
    "And do they use a dialer, or do they call from their phones?",
    "Mostly desk phones, some use their mobiles.",
    "Would a short demo next Tuesday work for you and your manager?",
    "Tuesday afternoon could work, send me an invite.",
]
SUMMARY = "<p>Discovery call. <strong>40 reps</strong>, weekly reviews take hours.</p>"
# Said in one transcript in FLEET_EVERY, and in the transcripts numbered RARE_TRANSCRIPTS (the
# n-th transcript of the dataset), each in place of one of the usual sentences.
FLEET_SENTENCE = f"Our {SEARCH_WORDS} doubles next year, so the pricing matters a lot."
FLEET_EVERY = 100
RARE_SENTENCE = f"We once shipped a {SEARCH_RARE} engine to a customer, believe it or not."
RARE_TRANSCRIPTS = {5, 55, 555, 5555}


def progress(message):
    print(f"[bench {time.strftime('%H:%M:%S')}]   {message}", file=sys.stderr, flush=True)


def marker():
    """Return the stored (calls, leads, version, fixtures) of the dataset, or None."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [MARKER])
        if cursor.fetchone()[0] is None:
            return None
        cursor.execute(f"SELECT calls, leads, version, fixtures FROM {MARKER}")
        row = cursor.fetchone()
    if row is None:
        return None
    calls, leads, version, fixtures = row
    return calls, leads, version, orjson.loads(fixtures) if isinstance(fixtures, str) else fixtures


def reset_schema():
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")


def vacuum_analyze(*models_):
    with connection.cursor() as cursor:
        for model in models_:
            cursor.execute(f'VACUUM (ANALYZE) "{model._meta.db_table}"')


def delete_sink_calls(fixtures):
    """Remove the calls the POST scenario logged, so every run starts from the same data."""
    sink = fixtures["sink_lead_id"]
    with transaction.atomic():
        tallies.forget_calls(Call.objects.filter(lead_id=sink))
        Transcript.objects.filter(call__lead_id=sink).delete()
        deleted, _ = Call.objects.filter(lead_id=sink).delete()
    Lead.objects.filter(pk=sink).update(last_activity_at=None, calls_count=0)
    if deleted:
        vacuum_analyze(Call, Transcript, Entry, RepTally, TeamTally, OutcomeTally)
    return deleted


class Generator:
    def __init__(self, calls, leads):
        self.calls = calls
        self.leads = leads
        self.rng = random.Random(f"closecalls-bench-{calls}-{leads}")

    def new_id(self, prefix):
        return prefix + "_" + "".join(self.rng.choices(ALPHABET, k=43))

    def moment(self):
        return END - datetime.timedelta(seconds=self.rng.random() * SPAN)

    def build(self):
        """Create and load everything; return the fixtures the scenarios need."""
        progress(f"generating {self.calls:,} calls and {self.leads:,} leads")
        self.organizations()
        self.reps()
        self.outcomes()
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")  # no FK triggers on COPY
            with without_indexes(cursor, Lead, Contact, Call, Transcript, Task, Entry):
                self.load_leads(cursor)
                self.load_calls(cursor)
                self.load_tasks(cursor)
                progress("writing the search index")
                index.rebuild()
                progress("building indexes")
            cursor.execute("SET session_replication_role = DEFAULT")
            cursor.execute(
                f"""UPDATE {Lead._meta.db_table} AS lead
                SET last_activity_at = latest.at, calls_count = latest.n
                FROM (SELECT lead_id, max(activity_at) AS at, count(*) AS n
                      FROM {Call._meta.db_table} GROUP BY lead_id) AS latest
                WHERE lead.id = latest.lead_id"""
            )
        progress("building the insights tallies")
        tallies.rebuild()
        progress("VACUUM ANALYZE")
        vacuum_analyze(
            Organization, User, Membership, Outcome, Lead, Contact, Call, Transcript, Task, Entry,
            RepTally, TeamTally, OutcomeTally,
        )  # fmt: skip
        return self.fixtures()

    def organizations(self):
        self.big = Organization.objects.create(name="Bench Big Co", time_zone=TIME_ZONE)
        self.small = Organization.objects.create(name="Bench Small Co")

    def reps(self):
        password = make_password("bench-password")
        users = [
            User(
                username=f"rep{n:02d}",
                first_name=FIRST_NAMES[n % 10],
                last_name=LAST_NAMES[n // 10 % 10],
                email=f"rep{n:02d}@bench.example.com",
                password=password,
            )
            for n in range(REPS)
        ]
        User.objects.bulk_create(users)
        big_reps = round(REPS * BIG_SHARE)
        Membership.objects.bulk_create(
            Membership(user=user, organization=self.big if n < big_reps else self.small)
            for n, user in enumerate(users)
        )
        self.reps_of = {self.big.pk: users[:big_reps], self.small.pk: users[big_reps:]}
        self.manager = User.objects.create(
            username="manager", first_name="Morgan", last_name="Lead", password=password,
            email="manager@bench.example.com", time_zone=TIME_ZONE,
        )  # fmt: skip
        Membership.objects.create(
            user=self.manager, organization=self.big, role=Membership.Role.ADMIN
        )
        self.local_phone = {user.pk: f"+1415555{1000 + n}" for n, user in enumerate(users)}

    def outcomes(self):
        self.outcomes_of = {}
        for organization in (self.big, self.small):
            created = Outcome.objects.bulk_create(
                Outcome(organization=organization, name=name, applies_to=["calls", "meetings"])
                for name in OUTCOMES
            )
            Outcome.objects.create(
                organization=organization,
                name="Voicemail dropped",
                type=Outcome.Type.VM_DROPPED,
                applies_to=["calls"],
            )
            self.outcomes_of[organization.pk] = [outcome.pk for outcome in created]

    def load_leads(self, cursor):
        rng = self.rng
        big_leads = round(self.leads * BIG_SHARE)
        self.leads_of = {self.big.pk: [], self.small.pk: []}
        self.contacts_of = {}
        lead_rows, contact_rows = [], []
        phone_number = 2012000000
        for n in range(self.leads):
            organization = self.big if n < big_leads else self.small
            lead_id = self.new_id("lead")
            created = self.moment() - datetime.timedelta(days=30)
            creator = rng.choice(self.reps_of[organization.pk]).pk
            name = f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_KINDS)} {n}"
            if n == 0:
                name = "Hot Lead Inc"
            elif n == 1:
                name = "Sink Lead (POST target)"
            lead_rows.append(
                (lead_id, organization.pk, name, "", f"https://lead{n}.example.com",
                 "Potential", creator, creator, created, created)
            )  # fmt: skip
            self.leads_of[organization.pk].append(lead_id)
            self.contacts_of[lead_id] = []
            for _ in range(rng.choice((1, 2, 2, 3))):
                contact_id = self.new_id("cont")
                phone_number += 37
                phone = f"+1{phone_number}"
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                email = f"{first}.{last}{n}@lead{n}.example.com".lower()
                contact_rows.append(
                    (contact_id, organization.pk, lead_id, f"{first} {last}", "Buyer",
                     orjson.dumps([{"phone": phone, "type": "office"}]).decode(),
                     orjson.dumps([{"email": email, "type": "office"}]).decode(),
                     digits_only(phone), email, created, created)
                )  # fmt: skip
                self.contacts_of[lead_id].append((contact_id, phone))
        self.hot_lead, self.sink_lead = self.leads_of[self.big.pk][:2]
        copy(
            cursor, Lead, lead_rows,
            ["id", "organization_id", "name", "description", "url", "status_label",
             "created_by_id", "updated_by_id", "date_created", "date_updated"],
        )  # fmt: skip
        copy(
            cursor, Contact, contact_rows,
            ["id", "organization_id", "lead_id", "name", "title", "phones", "emails",
             "phone_digits", "email_text", "date_created", "date_updated"],
        )  # fmt: skip

    def load_calls(self, cursor):
        notes = [couple_note(html=html) for html in NOTE_TEMPLATES]
        empty_note = couple_note(text="")
        transcripts = {
            said: [self.utterances(variant, said) for variant in range(32)]
            for said in (None, FLEET_SENTENCE, RARE_SENTENCE)
        }
        summary_text, summary_html = couple_note(html=SUMMARY)
        rng = self.rng
        big_leads = self.leads_of[self.big.pk][2:]  # not the hot and sink leads
        small_leads = self.leads_of[self.small.pk]
        self.transcript_calls = []
        self.task_calls = []

        def rows():
            for n in range(self.calls):
                if n < HOT_LEAD_CALLS:
                    organization, lead_id = self.big.pk, self.hot_lead
                elif rng.random() < BIG_SHARE or not small_leads or sentence(n // 10, n % 10):
                    organization, lead_id = self.big.pk, rng.choice(big_leads)
                else:
                    organization, lead_id = self.small.pk, rng.choice(small_leads)
                contact_id, phone = rng.choice(self.contacts_of[lead_id])
                rep = rng.choice(self.reps_of[organization])
                activity_at = self.moment()
                date_created = activity_at + datetime.timedelta(seconds=rng.randrange(30, 900))
                has_transcript = n % 10 == 0
                disposition = "answered" if has_transcript else pick_disposition(rng)
                call_method = "predictive" if disposition == "abandoned" else pick_method(rng)
                inbound = disposition == "vm-answer" or (
                    disposition != "abandoned" and rng.random() < 0.3
                )
                direction = "inbound" if inbound else "outbound"
                answered = disposition == "answered"
                voicemail = disposition == "vm-left"
                note, note_html = rng.choice(notes) if rng.random() < 0.7 else empty_note
                call_id = self.new_id("acti")
                yield (
                    call_id, organization, lead_id, contact_id, rep.pk, rep.pk, rep.pk,
                    date_created, date_created, activity_at, activity_at if answered else None,
                    direction, STATUS[disposition], disposition, call_method,
                    "External" if call_method == "external" else "Close.io",
                    rng.randrange(20, 1800) if answered else 0,
                    f"{rng.randrange(1, 400) / 100:.4f}" if answered else None,
                    phone, self.local_phone[rep.pk],
                    f"https://recordings.bench.example.com/{call_id}.mp3" if has_transcript else "",
                    "",
                    f"https://voicemail.bench.example.com/{call_id}.mp3" if voicemail else "",
                    "", rng.randrange(5, 60) if voicemail else 0,
                    note, note_html,
                    rng.choice(self.outcomes_of[organization]) if answered and rng.random() < 0.5
                    else None,
                )  # fmt: skip
                if has_transcript:
                    self.transcript_calls.append((organization, call_id, date_created, n))
                if inbound and (voicemail or disposition in MISSED):
                    kind = Task.Type.VOICEMAIL if voicemail else Task.Type.MISSED_CALL
                    self.task_calls.append(
                        (organization, lead_id, contact_id, rep.pk, activity_at, call_id, kind)
                    )

        progress("loading calls")
        copy(
            cursor, Call, rows(),
            ["id", "organization_id", "lead_id", "contact_id", "user_id", "created_by_id",
             "updated_by_id", "date_created", "date_updated", "activity_at", "date_answered",
             "direction", "status", "disposition", "call_method", "source", "duration", "cost",
             "phone", "local_phone", "recording_url", "recording_file", "voicemail_url",
             "voicemail_file", "voicemail_duration", "note", "note_html", "outcome_id"],
        )  # fmt: skip
        progress(f"loading {len(self.transcript_calls):,} transcripts")
        copy(
            cursor, Transcript,
            ((organization, call_id, "recording", transcripts[sentence(n // 10)][n // 10 % 32],
              summary_text, summary_html, created, created)
             for organization, call_id, created, n in self.transcript_calls),
            ["organization_id", "call_id", "kind", "utterances", "summary_text", "summary_html",
             "date_created", "date_updated"],
        )  # fmt: skip

    def load_tasks(self, cursor):
        """The tasks of missed calls and voicemails, and the follow-ups reps made, date-only."""
        rng = self.rng
        inbox_rep = self.reps_of[self.big.pk][0].pk

        def done(rep):
            return rep == inbox_rep or rng.randrange(OPEN_RATE) != 0

        def follow_up(n, organization, rep, complete):
            lead = rng.choice(self.leads_of[organization][2:] or [self.hot_lead])
            created = self.moment()
            due = min(created + datetime.timedelta(days=rng.randrange(1, 15)), END).date()
            return (
                self.new_id("task"), organization,
                Task.Type.OUTGOING_CALL if n % 2 else Task.Type.LEAD, lead,
                rng.choice(self.contacts_of[lead])[0], rep, "Send the pricing sheet", due, None,
                complete, "", "", rep, rep, created, created,
            )  # fmt: skip

        def rows():
            for organization, lead, contact, rep, at, call_id, kind in self.task_calls:
                yield (
                    self.new_id("task"), organization, kind, lead, contact, rep, "", None, at,
                    done(rep), "call", call_id, rep, rep, at, at,
                )  # fmt: skip
            for n in range(self.calls // TASK_RATE):
                organization = self.big if rng.random() < BIG_SHARE else self.small
                rep = rng.choice(self.reps_of[organization.pk]).pk
                yield follow_up(n, organization.pk, rep, done(rep))
            for n in range(INBOX_TASKS):
                yield follow_up(n, self.big.pk, inbox_rep, False)

        progress(f"loading {len(self.task_calls) + self.calls // TASK_RATE:,} tasks")
        copy(
            cursor, Task, rows(),
            ["id", "organization_id", "type", "lead_id", "contact_id", "assigned_to_id", "text",
             "date", "due_at", "is_complete", "object_type", "object_id", "created_by_id",
             "updated_by_id", "date_created", "date_updated"],
        )  # fmt: skip

    def utterances(self, variant, said=None):
        """A transcript's utterances as JSON; with `said`, the buyer says it once."""
        rng = random.Random(variant)
        rep, contact = f"{FIRST_NAMES[variant % 10]} Rep", f"{LAST_NAMES[variant % 10]} Buyer"
        start, items = 0.0, []
        for position in range(40):
            text = SENTENCES[(position + variant) % len(SENTENCES)].format(rep=rep)
            if said and position == 17:
                text = said
            end = start + round(rng.uniform(1.5, 6.0), 2)
            side = "close-user" if position % 2 == 0 else "contact"
            items.append(
                {"speaker_label": rep if side == "close-user" else contact,
                 "speaker_side": side, "start": round(start, 2), "end": round(end, 2),
                 "text": text}
            )  # fmt: skip
            start = end + 0.2
        return orjson.dumps(items).decode()

    def fixtures(self):
        hot_contact_phone = self.contacts_of[self.hot_lead][0][1]
        hot_transcript = next(
            call_id for _, call_id, _, n in self.transcript_calls if n < HOT_LEAD_CALLS
        )
        rep = self.reps_of[self.big.pk][0]
        sink_contact = self.contacts_of[self.sink_lead][0][0]
        return {
            "organization_id": self.big.pk,
            "other_organization_id": self.small.pk,
            "rep_id": rep.pk,
            "rep_username": rep.username,
            "hot_lead_id": self.hot_lead,
            "sink_lead_id": self.sink_lead,
            "sink_contact_id": sink_contact,
            "outcome_id": self.outcomes_of[self.big.pk][0],
            "transcript_call_id": hot_transcript,
            "search_digits": digits_only(hot_contact_phone)[1:],  # national number
            "range_start": (END - datetime.timedelta(days=150)).date().isoformat(),
            "range_end": (END - datetime.timedelta(days=90)).date().isoformat(),
            "organization_calls": Call.objects.filter(organization=self.big).count(),
            "admin_id": self.manager.pk,
            # The insights scenarios' 90 days: the last ones with calls, in New York.
            "insights_first_day": (END - datetime.timedelta(days=90)).date().isoformat(),
            "insights_last_day": (END - datetime.timedelta(days=1)).date().isoformat(),
            "insights_end_day": END.date().isoformat(),
        }


def sentence(transcript, remainder=0):
    """What the `transcript`-th transcript says besides the usual: FLEET_SENTENCE, RARE_SENTENCE
    or nothing (None). The calls numbered 10 × transcript + `remainder` have no transcript."""
    if remainder:
        return None
    if transcript in RARE_TRANSCRIPTS:
        return RARE_SENTENCE
    return FLEET_SENTENCE if transcript % FLEET_EVERY == 7 else None


STATUS = {
    "answered": "completed",
    "no-answer": "no-answer",
    "vm-answer": "completed",
    "vm-left": "completed",
    "busy": "busy",
    "blocked": "failed",
    "error": "failed",
    "abandoned": "completed",
}
DISPOSITIONS = list(STATUS)
DISPOSITION_WEIGHTS = [40, 25, 4, 15, 6, 2, 3, 5]
METHODS = ["regular", "power", "predictive", "external"]
METHOD_WEIGHTS = [40, 25, 15, 20]


def pick_disposition(rng):
    return rng.choices(DISPOSITIONS, DISPOSITION_WEIGHTS)[0]


def pick_method(rng):
    return rng.choices(METHODS, METHOD_WEIGHTS)[0]


def copy(cursor, model, rows, columns):
    """COPY `rows` (tuples in `columns` order) into `model`'s table.

    Columns added to the model later and not generated here get the field's default.
    """
    fields = {field.column: field for field in model._meta.concrete_fields}
    extra = [
        field
        for column, field in fields.items()
        if column not in columns and not (field.primary_key and column == "id")
    ]
    defaults = tuple(field.get_db_prep_save(field.get_default(), connection) for field in extra)
    names = ", ".join(f'"{column}"' for column in [*columns, *(f.column for f in extra)])
    with cursor.copy(f'COPY "{model._meta.db_table}" ({names}) FROM STDIN') as copy_:
        for row in rows:
            copy_.write_row(row + defaults if defaults else row)


class without_indexes:
    """Drop the tables' secondary indexes during a bulk load and build them again after it."""

    def __init__(self, cursor, *models_):
        self.cursor = cursor
        self.tables = [model._meta.db_table for model in models_]

    def __enter__(self):
        self.cursor.execute(
            """SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.tablename = ANY(%s) AND i.schemaname = 'public'
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)""",
            [self.tables],
        )
        self.definitions = self.cursor.fetchall()
        for name, _ in self.definitions:
            self.cursor.execute(f'DROP INDEX "{name}"')

    def __exit__(self, *exc):
        self.cursor.execute("SET max_parallel_maintenance_workers = 2")
        for _, definition in self.definitions:
            self.cursor.execute(definition)


def build(calls, leads):
    """Load a fresh dataset of `calls` calls and `leads` leads; record it in the marker table."""
    fixtures = Generator(calls, leads).build()
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {MARKER} (calls integer, leads integer, version integer, "
            "built_at timestamptz DEFAULT now(), fixtures jsonb)"
        )
        cursor.execute(
            f"INSERT INTO {MARKER} (calls, leads, version, fixtures) VALUES (%s, %s, %s, %s)",
            [calls, leads, VERSION, orjson.dumps(fixtures).decode()],
        )
    return fixtures


def table_sizes():
    """Return {table: bytes with indexes and TOAST} for the tables the dataset fills."""
    tables = [
        m._meta.db_table
        for m in (Lead, Contact, Call, Transcript, Task, Entry, RepTally, TeamTally, OutcomeTally)
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, pg_total_relation_size(oid) FROM pg_class WHERE relname = ANY(%s)",
            [tables],
        )
        return dict(cursor.fetchall())
