"""A year of calls of the demo organization as HubSpot exports them: the file an admin imports
on the demo server (`manage.py demo_import_file calls.csv`; README, "Importing calls").

Every row is a call of one of the demo's contacts (found by its email, as HubSpot's
"Associated Contact" column gives it) made by one of its reps (by email), on a working day of
the past year, in the organization's time zone. The record ids are fixed by the row's number,
so the same file imported again finds every call it created.
"""

import datetime
import random
import zoneinfo

from django.utils import timezone

from core.csv_files import CsvWriter
from leads.models import Contact

# HubSpot's call export, as its columns are labelled.
HEADER = [
    "Record ID", "Call Title", "Activity date", "Call notes", "Call direction", "Call duration",
    "Call outcome", "Call status", "From Number", "To Number", "Activity assigned to",
    "Associated Contact", "Associated Company",
]  # fmt: skip
# HubSpot's outcome, its status, and how often it happens.
OUTCOMES = [
    ("Connected", "COMPLETED", 45),
    ("No answer", "NO_ANSWER", 30),
    ("Left voicemail", "COMPLETED", 15),
    ("Busy", "BUSY", 10),
]
NOTES = [
    "Walked through pricing for the team plan; they want a quote by Friday.",
    "Renewal is on track. Asked for the security questionnaire.",
    "Demo booked with their head of sales next week.",
    "Not the right moment: call back after their budget review.",
    "Questions about the API and the CSV export; sent the docs.",
]
OFFICE_NUMBER = "+14155550100"
SEED = 2026


def write_year_of_calls(output, organization, *, rows, now=None, seed=SEED):
    """Write `rows` calls of `organization`'s contacts and reps to the text file `output`;
    return how many leads they are spread over."""
    rng = random.Random(seed)
    zone = zoneinfo.ZoneInfo(organization.time_zone)
    today = (now or timezone.now()).astimezone(zone).date()
    contacts = [
        contact
        for contact in Contact.objects.filter(organization=organization)
        .select_related("lead")
        .order_by("pk")
        if contact.emails
    ]
    reps = list(
        organization.memberships.select_related("user")
        .exclude(user__email="")
        .order_by("user__username")
    )
    writer = CsvWriter(output)
    writer.writerow(HEADER)
    leads = set()
    weights = [weight for *_, weight in OUTCOMES]
    for n in range(rows):
        contact = rng.choice(contacts)
        rep = rng.choice(reps).user
        outcome, status, _ = rng.choices(OUTCOMES, weights)[0]
        inbound = rng.random() < 0.2
        connected = outcome == "Connected"
        their_number = contact.phones[0]["phone"] if contact.phones else ""
        numbers = (their_number, OFFICE_NUMBER) if inbound else (OFFICE_NUMBER, their_number)
        leads.add(contact.lead_id)
        writer.writerow([
            f"demo-{seed}-{n}",
            f"Call with {contact.name}",
            _working_hour(rng, today).strftime("%Y-%m-%d %H:%M"),
            rng.choice(NOTES) if connected else "",
            "INBOUND" if inbound else "OUTBOUND",
            rng.randrange(45_000, 1_500_000) if connected else 0,  # milliseconds
            outcome,
            status,
            *numbers,
            f"{rep.get_full_name() or rep.username} ({rep.email})",
            f"{contact.name} ({contact.emails[0]['email']})",
            contact.lead.name,
        ])  # fmt: skip
    return len(leads)


def _working_hour(rng, today):
    """A moment of a working day (9:00 to 18:00) of the year before `today`."""
    while True:
        day = today - datetime.timedelta(days=rng.randrange(1, 366))
        if day.weekday() < 5:
            break
    return datetime.datetime.combine(day, datetime.time(rng.randrange(9, 18), rng.randrange(60)))
