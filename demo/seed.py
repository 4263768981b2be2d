"""The demo organizations `make run` starts with, and the vocabulary they are made of.

Acme Demo is the big one: a US team calling companies around the world, costs shown to its
reps. Harbour Lane Lettings is a small British one, with the default phone region GB, that
`admin` and `rep1` belong to as well, so that switching organizations can be tried.

Everything comes from a seeded `random.Random`, so every build has the same companies, people,
calls and follow-ups (dated relative to now). It is all written through the services
(leads.services, activities.services, followups.services) like any other data, so the seed's
rules hold for it too. Recorded calls and voicemails get a short, real WAV file: a burble of
tones where each speaker talks, as long as the transcript.
"""

import functools
import io
import math
import random
import wave
import zoneinfo
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import ApiKey, Membership, Organization, User
from activities.models import Outcome
from activities.services import call_create, outcome_create
from followups.models import Task
from followups.services import task_create
from leads.models import Lead
from leads.phones import normalize_phone
from leads.services import contact_create, lead_create

ORGANIZATION = "Acme Demo"
PASSWORD = "demo-password"
KEY_NAME = "seed_demo"
SEED = 2026
CALL_COUNT = 300
DAYS = 60

# username, first name, last name, role, time zone, the number they call from
TEAM = [
    ("admin", "Alex", "Morgan", Membership.Role.ADMIN, "America/Los_Angeles", "+14155550100"),
    ("rep1", "Jamie", "Chen", Membership.Role.MEMBER, "America/New_York", "+16465550142"),
    ("rep2", "Priya", "Patel", Membership.Role.MEMBER, "Europe/London", "+442079460142"),
]

OUTCOMES = [
    ("Demo booked", Outcome.Type.CUSTOM, "The contact agreed to a product demo."),
    ("Not interested", Outcome.Type.CUSTOM, "No need or no budget for now."),
    ("Call back later", Outcome.Type.CUSTOM, "Asked to be called at another time."),
    ("Wrong number", Outcome.Type.CUSTOM, "The number does not reach the contact."),
    ("Voicemail dropped", Outcome.Type.VM_DROPPED, "A recorded message was dropped."),
]

# The follow-ups each rep made by hand (the calls leave the others): days from the rep's today
# (negative: overdue), type, what to do.
FOLLOW_UPS = [
    (-2, Task.Type.LEAD, "Send the pricing sheet for 40 seats"),
    (0, Task.Type.OUTGOING_CALL, "Call back after their board meeting"),
    (0, Task.Type.LEAD, "Email the case study they asked for"),
    (1, Task.Type.OUTGOING_CALL, ""),
    (7, Task.Type.OUTGOING_CALL, "Check in on the pilot"),
]

# name, country, industry, domain
COMPANIES = [
    ("Northwind Traders", "US", "Wholesale food distribution", "northwindtraders.com"),
    ("Bluebird Logistics", "US", "Regional trucking and warehousing", "bluebirdlogistics.com"),
    ("Summit Ridge Dental", "US", "Group of six dental practices", "summitridgedental.com"),
    ("Cobalt Analytics", "US", "Marketing analytics SaaS", "cobaltanalytics.io"),
    ("Harbor & Pine Realty", "US", "Residential real estate brokerage", "harborandpine.com"),
    ("Lakeside Fitness Co.", "US", "Chain of boutique gyms", "lakesidefitness.com"),
    ("Redwood Solar", "US", "Residential solar installer", "redwoodsolar.com"),
    ("Ironclad Security", "US", "Managed security services", "ironcladsecurity.com"),
    ("Brightpath Learning", "US", "Online tutoring marketplace", "brightpathlearning.com"),
    ("Meadowbrook Veterinary", "US", "Animal hospital", "meadowbrookvet.com"),
    ("Copperline Brewing", "US", "Craft brewery and taproom", "copperlinebrewing.com"),
    ("Atlas Freight Partners", "US", "Freight brokerage", "atlasfreight.com"),
    ("Quarry Hill Construction", "US", "Commercial construction", "quarryhill.com"),
    ("Silverline Insurance Agency", "US", "Independent insurance agency", "silverlineins.com"),
    ("Maple Leaf Outfitters", "CA", "Outdoor gear retailer", "mapleleafoutfitters.ca"),
    ("Northern Lights Media", "CA", "Video production studio", "northernlightsmedia.ca"),
    ("Thistle & Rose Interiors", "GB", "Interior design studio", "thistleandrose.co.uk"),
    ("Kingsbridge Recruitment", "GB", "Technology recruitment agency", "kingsbridge.co.uk"),
    ("Albion Software", "GB", "Payroll software", "albionsoftware.co.uk"),
    ("Tidewater Marine Supplies", "GB", "Chandlery and boat parts", "tidewatermarine.co.uk"),
    ("Bergmann Maschinenbau", "DE", "Industrial machinery", "bergmann-maschinenbau.de"),
    ("Lindenhof Logistik", "DE", "Contract logistics", "lindenhof-logistik.de"),
    ("Schwarzwald Reisen", "DE", "Tour operator", "schwarzwald-reisen.de"),
    ("Atelier Lumière", "FR", "Lighting design", "atelier-lumiere.fr"),
    ("Boulangeries Dupont", "FR", "Bakery chain", "boulangeries-dupont.fr"),
    ("Moreau Conseil", "FR", "Management consulting", "moreau-conseil.fr"),
    ("Soluciones Iberia", "ES", "IT services", "solucionesiberia.es"),
    ("Olivar Verde", "ES", "Olive oil producer", "olivarverde.es"),
    ("Van Dijk Fietsen", "NL", "Bicycle maker", "vandijkfietsen.nl"),
    ("Grachtenhuis Consultancy", "NL", "HR consultancy", "grachtenhuis.nl"),
    ("Kookaburra Coffee Roasters", "AU", "Specialty coffee roaster", "kookaburracoffee.com.au"),
    ("Southern Cross Solar", "AU", "Commercial solar", "southerncrosssolar.com.au"),
    ("Ipê Tecnologia", "BR", "Fintech software", "ipetecnologia.com.br"),
    ("Mar Azul Turismo", "BR", "Travel agency", "marazulturismo.com.br"),
    ("Grupo Agave Azul", "MX", "Beverage distributor", "agaveazul.mx"),
    ("Casa Mariposa Hoteles", "MX", "Boutique hotel group", "casamariposa.mx"),
    ("Sakura Robotics", "JP", "Warehouse robotics", "sakurarobotics.co.jp"),
    ("Hinode Trading", "JP", "Import and export", "hinodetrading.co.jp"),
    ("Lotus Cloud Services", "IN", "Cloud hosting", "lotuscloud.in"),
    ("Ganga Textiles", "IN", "Textile manufacturer", "gangatextiles.in"),
]

NAMES = {
    "US": (
        "Emily Michael Sarah David Jessica Chris Ashley Daniel Megan Ryan Olivia Marcus",
        "Johnson Williams Brown Garcia Miller Davis Rodriguez Wilson Anderson Thompson Nguyen",
    ),
    "GB": (
        "Oliver Amelia Harry Isla George Sophie Jack Charlotte",
        "Smith Taylor Davies Evans Hughes Wright Walker Clarke",
    ),
    "DE": (
        "Lukas Anna Jonas Lea Felix Hannah Maximilian Sophie",
        "Müller Schmidt Schneider Fischer Weber Becker Hoffmann Wagner",
    ),
    "FR": (
        "Camille Louis Manon Hugo Chloé Lucas Inès Théo",
        "Martin Bernard Dubois Lefèvre Moreau Laurent Girard Roux",
    ),
    "ES": (
        "Lucía Hugo Martina Pablo Sofía Álvaro Carmen Javier",
        "García Fernández López Martínez Sánchez Romero Navarro Torres",
    ),
    "NL": ("Daan Emma Sem Julia Lucas Sanne Bram Fleur", "Jansen Bakker Visser Smit Meijer Mulder"),
    "AU": (
        "Jack Charlotte William Mia Noah Ruby Thomas Chloe",
        "Smith Jones Williams Brown Wilson Taylor Kelly Ryan",
    ),
    "BR": (
        "João Maria Pedro Ana Lucas Juliana Gabriel Beatriz",
        "Silva Santos Oliveira Souza Lima Pereira Costa Almeida",
    ),
    "MX": (
        "José Guadalupe Luis Fernanda Carlos Valeria Diego Ximena",
        "Hernández García Martínez López González Ramírez Flores Cruz",
    ),
    "JP": (
        "Haruto Yui Sota Aoi Ren Hina Takumi Sakura",
        "Sato Suzuki Takahashi Tanaka Watanabe Ito Yamamoto Nakamura",
    ),
    "IN": (
        "Aarav Priya Rohan Ananya Vikram Diya Arjun Kavya",
        "Sharma Patel Reddy Iyer Gupta Nair Singh Mehta",
    ),
}
NAMES["CA"] = NAMES["US"]

TITLES = [
    "CEO", "Founder", "Head of Sales", "VP Sales", "Sales Director", "Operations Manager",
    "Office Manager", "CTO", "Procurement Lead", "Marketing Manager",
]  # fmt: skip

# E.164 templates, "#" being a random digit; fictional ranges where the country has them.
PHONES = {
    "US": (["+121255501##", "+141555501##", "+131255501##", "+161755501##"], ["+120655501##"]),
    "CA": (["+141655501##", "+160455501##"], ["+151455501##"]),
    "GB": (["+442079460###", "+441134960###"], ["+447496394###"]),
    "DE": (["+4930#######", "+4989#######"], ["+49151########"]),
    "FR": (["+331########", "+334########"], ["+336########"]),
    "ES": (["+3491#######", "+3493#######"], ["+346########"]),
    "NL": (["+3120#######", "+3110#######"], ["+316########"]),
    "AU": (["+6125550####", "+6135550####"], ["+61491570###"]),
    "BR": (["+5511########", "+5521########"], ["+55119########"]),
    "MX": (["+5255########", "+5281########"], ["+5233########"]),
    "JP": (["+813########", "+816########"], ["+8190########"]),
    "IN": (["+9122########", "+9180########"], ["+9198########"]),
}

# US cents a minute, billed by the started minute; inbound minutes are cheaper.
RATES = {
    "US": "1.4", "CA": "1.4", "GB": "2.2", "DE": "2.9", "FR": "2.7", "ES": "2.6", "NL": "2.8",
    "AU": "3.5", "BR": "6.5", "MX": "3.9", "JP": "8.0", "IN": "4.2",
}  # fmt: skip
INBOUND_RATE = "0.85"

# Hours from UTC, roughly, so that calls happen in the lead's business hours.
UTC_OFFSETS = {
    "US": -6, "CA": -5, "GB": 0, "DE": 1, "FR": 1, "ES": 1, "NL": 1, "AU": 10, "BR": -3,
    "MX": -6, "JP": 9, "IN": 5,
}  # fmt: skip

STATUS = {
    "answered": "completed", "vm-left": "completed", "vm-answer": "completed",
    "abandoned": "completed", "no-answer": "no-answer", "busy": "busy", "blocked": "failed",
    "error": "failed",
}  # fmt: skip

# Calls whose notes are rich text are written as HTML; the others as plaintext.
NOTES = {
    "Demo booked": [
        "<p><strong>Demo booked</strong> for {day} with {contact}.</p><ul><li>Team of {team} "
        "reps, logging calls in a spreadsheet</li><li>Wants recordings and transcripts</li>"
        '<li>Decision maker: {contact}</li></ul><p>Agenda sent, see <a href="https://{domain}/">'
        "{domain}</a></p>",
        "Booked a demo for {day}.\nWants to see transcripts and the API.",
    ],
    "Not interested": [
        "<p>Not interested: <em>signed with a competitor last month</em>.</p><ol><li>Contract "
        "ends next year</li><li>Re-engage in Q{quarter}</li></ol>",
        "Not a fit right now. Budget < $5k this quarter.",
    ],
    "Call back later": [
        "<p>Call back on <strong>{day}</strong>, mornings only.</p><blockquote>Busy with "
        "quarter close this week.</blockquote>",
        "Asked me to call back {day} morning.",
    ],
    "Wrong number": ["Wrong number: {contact} is no longer reachable here. Update the phone."],
    "Voicemail dropped": ["Voicemail greeting picked up; dropped the standard follow-up message."],
    "answered": [
        "<h3>Discovery</h3><ul><li>{team} reps, mostly outbound</li><li>Uses <code>CSV</code> "
        "exports today</li><li>Pricing requested by email</li></ul>",
        "Quick check-in with {contact}. Sending pricing by email.",
        "Talked through the onboarding plan with {contact}.\n- import contacts\n- set up "
        "outcomes\n- train the team on {day}",
    ],
    "no-answer": ["No answer, will try again tomorrow.", ""],
    "vm-left": ["Left a voicemail about the guide follow-up.", ""],
    "vm-answer": ["{contact} called in and hung up at the voicemail greeting."],
    "busy": ["Line busy.", ""],
    "blocked": ["Blocked by the carrier: check the number's format."],
    "error": ["Carrier error; retry later."],
    "abandoned": ["Predictive dialer connected but no rep was free: call abandoned."],
}

# (side, text) lines; "contact" and "close-user" are the transcript's speaker sides.
CONVERSATIONS = {
    "Demo booked": [
        ("contact", "Hello, this is {contact}."),
        ("close-user", "Hi {contact}, it's {rep} from Acme Demo. Do you have two minutes?"),
        ("contact", "Sure, I have a couple of minutes before my next meeting."),
        ("close-user", "How is your team logging calls today?"),
        ("contact", "Honestly it's a spreadsheet, and half the reps forget to fill it in."),
        ("close-user", "Would a twenty minute demo on {day} work for you?"),
        ("contact", "{day} afternoon works. Send me an invite."),
        ("close-user", "Will do. Talk soon!"),
    ],
    "Call back later": [
        ("contact", "{company}, {contact} speaking."),
        ("close-user", "Hi {contact}, {rep} here from Acme Demo. Is now a good time?"),
        ("contact", "Not really, we're in the middle of quarter close."),
        ("close-user", "Understood. When would be better?"),
        ("contact", "Try me again on {day}, mornings are best."),
        ("close-user", "Perfect, I'll call you {day} morning. Thanks!"),
    ],
    "Not interested": [
        ("contact", "Hello?"),
        ("close-user", "Hi, is this {contact}? It's {rep} from Acme Demo."),
        ("contact", "Yes, what's this about?"),
        ("close-user", "We help sales teams keep a clean call log, with transcripts."),
        ("contact", "Thanks, but we signed with another vendor last month."),
        ("close-user", "No problem at all. Mind if I check back next year?"),
        ("contact", "That's fine."),
    ],
    "Wrong number": [
        ("contact", "Hello, who is this?"),
        ("close-user", "Hi, it's {rep} from Acme Demo. I'm trying to reach {contact}."),
        ("contact", "Sorry, nobody by that name here. I think you have the wrong number."),
        ("close-user", "My apologies, I'll update our records. Have a good day."),
    ],
    "answered": [
        ("contact", "Hi, this is {contact} from {company}, returning {rep}'s call."),
        ("close-user", "Thanks for calling back! How do you handle call notes today?"),
        ("contact", "We type them into our CRM after each call, but it's slow."),
        ("close-user", "Would automatic transcripts help your team?"),
        ("contact", "Possibly. Can you email me pricing?"),
        ("close-user", "Absolutely, you'll have it within the hour."),
    ],
    "inbound voicemail": [
        ("contact", "Hi {rep}, it's {contact} from {company}."),
        ("contact", "Sorry I missed you. I'm free on {day} after two."),
        ("contact", "Call me back on this number. Thanks!"),
    ],
    "outbound voicemail": [
        ("close-user", "Hi {contact}, {rep} from Acme Demo here."),
        ("close-user", "I'm following up on the guide you downloaded last week."),
        ("close-user", "Call me back when you get a chance, or just reply to my email. Thanks!"),
    ],
}

SUMMARIES = {
    "Demo booked": "<p>{contact} logs calls in a spreadsheet that reps skip.</p><ul><li>Agreed "
    "to a <strong>20-minute demo on {day}</strong></li><li>Invite to be sent today</li></ul>",
    "Call back later": "<p>Busy with quarter close. <strong>Call back {day} morning.</strong></p>",
    "Not interested": "<p>Signed with another vendor last month. Check back next year.</p>",
    "Wrong number": "<p>Wrong number: whoever answered doesn't know {contact}.</p>",
    "answered": "<p>{contact} returned the call and wants <strong>pricing by email</strong>.</p>",
    "inbound voicemail": "<p>{contact} asks for a call back on {day} after 2pm.</p>",
    "outbound voicemail": "<p>{rep} followed up on the downloaded guide.</p>",
}

SAMPLE_RATE = 8000
VOICES = {"contact": (200, 250), "close-user": (320, 400)}  # Hz, dividing the sample rate


def phone_number(rng, country, kind="office"):
    """Return a random, valid E.164 number of `country` ("office" or "mobile")."""
    offices, mobiles = PHONES[country]
    template = rng.choice(mobiles if kind == "mobile" else offices)
    while True:
        number = "".join(str(rng.randrange(10)) if c == "#" else c for c in template)
        if normalize_phone(number) == number:
            return number


def person(rng, country):
    firsts, lasts = NAMES[country]
    return rng.choice(firsts.split()), rng.choice(lasts.split())


def email_address(first, last, domain):
    return f"{slugify(first)}.{slugify(last).replace('-', '')}@{domain}"


def call_cost(country, direction, disposition, duration):
    """Return the cost in US cents: per started minute once connected, None if never placed."""
    if disposition in ("blocked", "error"):
        return None
    rate = Decimal(INBOUND_RATE if direction == "inbound" else RATES[country])
    return (rate * math.ceil(duration / 60)).normalize() if duration else Decimal(0)


def timed_utterances(rng, lines, labels):
    """Give `lines` ((side, text) pairs) speaker labels and increasing start/end seconds."""
    utterances, clock = [], round(rng.uniform(0.2, 0.8), 2)
    for side, text in lines:
        end = round(clock + 0.6 + len(text.split()) / 2.7, 2)
        utterances.append(
            {
                "speaker_label": labels[side],
                "speaker_side": side,
                "start": clock,
                "end": end,
                "text": text,
            }
        )
        clock = round(end + rng.uniform(0.15, 0.7), 2)
    return utterances


@functools.cache
def _cycle(frequency, amplitude):
    period = SAMPLE_RATE // frequency
    return bytes(
        round(128 + 127 * amplitude * math.sin(2 * math.pi * i / period)) for i in range(period)
    )


def utterances_wav(rng, utterances):
    """Return an 8 kHz, 8-bit mono WAV lasting until the last utterance ends.

    Each utterance is a run of short tone "syllables" in its speaker's pitch; the rest is silence.
    """
    frames = bytearray(b"\x80") * round(utterances[-1]["end"] * SAMPLE_RATE)
    for utterance in utterances:
        position = round(utterance["start"] * SAMPLE_RATE)
        stop = round(utterance["end"] * SAMPLE_RATE)
        while position < stop:
            syllable_end = min(stop, position + rng.randint(800, 2400))
            sound = syllable_end - position - 160  # then 20 ms of silence
            if sound > 0:
                cycle = _cycle(
                    rng.choice(VOICES[utterance["speaker_side"]]), rng.choice((0.3, 0.5, 0.7))
                )
                frames[position : position + sound] = (cycle * (sound // len(cycle) + 1))[:sound]
            position = syllable_end
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(1)
        wav.setframerate(SAMPLE_RATE)
        wav.writeframes(bytes(frames))
    return buffer.getvalue()


def remove_demo():
    """Delete the demo organizations, everything in them and their users; their calls take their
    audio files with them (`activities.audio_files.delete_audio_with_call`)."""
    Organization.objects.filter(name__in=[ORGANIZATION, SECOND_ORGANIZATION]).delete()
    User.objects.filter(username__in=[username for username, *_ in TEAM]).delete()


def ensure_team():
    """Return the demo organization and its memberships (admin first), creating what's missing."""
    organization, _ = Organization.objects.get_or_create(
        name=ORGANIZATION, defaults={"show_call_cost": True, "time_zone": "America/Los_Angeles"}
    )
    memberships = []
    for username, first_name, last_name, role, time_zone, _ in TEAM:
        admin = role == Membership.Role.ADMIN
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{username}@acme-demo.example",
                "time_zone": time_zone,
                "is_staff": admin,
                "is_superuser": admin,
            },
        )
        if created:
            user.set_password(PASSWORD)
            user.save(update_fields=["password"])
        membership, _ = Membership.objects.get_or_create(
            user=user, organization=organization, defaults={"role": role}
        )
        memberships.append(membership)
    return organization, memberships


def issue_demo_key(membership):
    """Issue a fresh key for `membership`, replacing the one the previous run printed."""
    membership.api_keys.filter(name=KEY_NAME).delete()
    return ApiKey.issue(membership, name=KEY_NAME)[1]


def _weighted(rng, weights):
    """Return one key of `weights` ({key: weight}) at random."""
    return rng.choices(list(weights), list(weights.values()))[0]


@dataclass
class Prospect:
    """A demo lead with what its calls are made of."""

    lead: Lead
    country: str
    domain: str
    contacts: list


class DemoBuilder:
    """Fill an empty demo organization with outcomes, leads, contacts and calls."""

    def __init__(self, organization, memberships, *, now=None, seed=SEED):
        self.organization = organization
        self.users = [membership.user for membership in memberships]
        self.local_phones = {username: phone for username, *_, phone in TEAM}
        self.now = now or timezone.now()
        self.rng = random.Random(seed)

    def build(self, call_count=CALL_COUNT):
        self.outcomes = {name: self._outcome(name, *rest) for name, *rest in OUTCOMES}
        prospects = [self._prospect(*company) for company in COMPANIES]
        # The first two leads are brand new: no calls yet.
        weights = [0, 0] + [self.rng.uniform(0.2, 3) for _ in prospects[2:]]
        for kind in self._call_kinds(call_count):
            self._call(self.rng.choices(prospects, weights)[0], *kind)
        self._follow_ups(prospects[2:])

    def _follow_ups(self, prospects):
        """Give each rep the FOLLOW_UPS, on leads they could have called, dated from their day."""
        for user in self.users:
            today = self.now.astimezone(zoneinfo.ZoneInfo(user.time_zone)).date()
            for days, type_, text in FOLLOW_UPS:
                prospect = self.rng.choice(prospects)
                task_create(
                    organization=self.organization,
                    created_by=user,
                    fields={
                        "type": type_,
                        "lead": prospect.lead,
                        "contact": self.rng.choice(prospect.contacts),
                        "assigned_to": user,
                        "text": text,
                        "date": today + timedelta(days=days),
                    },
                )

    def _outcome(self, name, type_, description):
        return outcome_create(
            organization=self.organization,
            created_by=self.users[0],
            fields={"name": name, "type": type_, "description": description},
        )

    def _prospect(self, name, country, industry, domain):
        rng = self.rng
        lead = lead_create(
            organization=self.organization,
            created_by=self.users[0],
            fields={
                "name": name,
                "description": f"{industry}.",
                "url": f"https://www.{domain}/",
                "status_label": rng.choice(
                    ["Potential", "Potential", "Qualified", "Customer", "Bad Fit"]
                ),
                "date_created": self.now - timedelta(days=rng.randint(DAYS + 5, DAYS + 120)),
            },
        )
        contacts = []
        for _ in range(rng.choice([1, 1, 2, 2, 2, 3])):
            first, last = person(rng, country)
            phones = [{"phone": phone_number(rng, country), "type": "office"}]
            if rng.random() < 0.5:
                phones.append({"phone": phone_number(rng, country, "mobile"), "type": "mobile"})
            emails = []
            if rng.random() < 0.9:
                emails.append({"email": email_address(first, last, domain), "type": "office"})
            contacts.append(
                contact_create(
                    organization=self.organization,
                    lead=lead,
                    created_by=self.users[0],
                    fields={
                        "name": f"{first} {last}",
                        "title": rng.choice(TITLES),
                        "phones": phones,
                        "emails": emails,
                        "date_created": lead.date_created,
                    },
                )
            )
        return Prospect(lead, country, domain, contacts)

    def _call_kinds(self, count):
        """Return `count` (direction, call_method, disposition) triples; every value occurs."""
        kinds = [
            ("inbound", "regular", "vm-answer"),
            ("inbound", "external", "answered"),
            ("outbound", "predictive", "abandoned"),
            ("outbound", "power", "vm-left"),
            ("outbound", "regular", "busy"),
            ("outbound", "external", "blocked"),
            ("outbound", "power", "error"),
            ("outbound", "regular", "no-answer"),
        ]
        while len(kinds) < count:
            kinds.append(self._random_kind())
        self.rng.shuffle(kinds)
        return kinds

    def _random_kind(self):
        rng = self.rng
        if rng.random() < 0.25:
            method = _weighted(rng, {"regular": 85, "external": 15})
            disposition = _weighted(
                rng, {"answered": 55, "no-answer": 12, "vm-answer": 12, "vm-left": 18, "error": 3}
            )
            return "inbound", method, disposition
        method = _weighted(rng, {"regular": 35, "power": 30, "predictive": 20, "external": 15})
        dispositions = {"answered": 35, "no-answer": 28, "vm-left": 15, "busy": 9, "blocked": 3}
        dispositions["error"] = 3
        if method == "predictive":
            dispositions["abandoned"] = 8
        return "outbound", method, _weighted(rng, dispositions)

    def _call(self, prospect, direction, method, disposition):
        rng = self.rng
        user = rng.choices(self.users, [10, 45, 45])[0]
        contact = rng.choice(prospect.contacts)
        outcome = self._outcome_for(direction, method, disposition)
        words = {
            "contact": contact.name.split()[0],
            "rep": user.first_name,
            "company": prospect.lead.name,
            "domain": prospect.domain,
            "day": rng.choice(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]),
            "team": rng.choice([4, 6, 8, 12, 25]),
            "quarter": rng.randint(1, 4),
        }
        fields = {
            "lead": prospect.lead,
            "contact": contact,
            "user": user,
            "direction": direction,
            "call_method": method,
            "disposition": disposition,
            "status": STATUS[disposition],
            "outcome": outcome,
            "phone": rng.choice(contact.phones)["phone"],
            "local_phone": self.local_phones[user.username],
            "duration": self._duration(disposition, outcome),
        }
        fields.update(self._note(outcome, disposition, words))

        transcripts = {}
        script = self._script(direction, disposition, outcome)
        if script:
            labels = {"contact": contact.name, "close-user": user.get_full_name()}
            lines = [(side, text.format(**words)) for side, text in CONVERSATIONS[script]]
            utterances = timed_utterances(rng, lines, labels)
            length = math.ceil(utterances[-1]["end"])
            kind = "voicemail" if disposition == "vm-left" else "recording"
            if kind == "recording":
                fields["duration"] = length
            else:
                fields["voicemail_duration"] = length
                fields["duration"] = max(fields["duration"], length + 5)
            name = f"{slugify(prospect.lead.name)}.wav"
            fields[f"{kind}_file"] = ContentFile(utterances_wav(rng, utterances), name=name)
            transcripts[f"{kind}_transcript"] = {
                "utterances": utterances,
                "summary_html": SUMMARIES[script].format(**words),
            }

        activity_at = self._when(prospect.country, fields["duration"])
        fields["activity_at"] = activity_at
        fields["date_created"] = activity_at + timedelta(
            seconds=fields["duration"] + rng.randint(5, 90)
        )
        if disposition == "answered":
            fields["date_answered"] = activity_at + timedelta(seconds=rng.randint(3, 20))
        fields["cost"] = call_cost(prospect.country, direction, disposition, fields["duration"])
        call_create(
            organization=self.organization, created_by=user, fields=fields, transcripts=transcripts
        )

    def _outcome_for(self, direction, method, disposition):
        if disposition != "answered":
            return None
        if direction == "outbound" and method == "power" and self.rng.random() < 0.25:
            return self.outcomes["Voicemail dropped"]
        name = _weighted(
            self.rng,
            {
                "Demo booked": 22,
                "Not interested": 25,
                "Call back later": 30,
                "Wrong number": 8,
                None: 15,
            },
        )
        return self.outcomes.get(name)

    def _duration(self, disposition, outcome):
        rng = self.rng
        if outcome and outcome.type == Outcome.Type.VM_DROPPED:
            return rng.randint(25, 45)
        if disposition == "answered":
            return min(2400, max(20, int(rng.lognormvariate(5.0, 0.8))))
        return {
            "vm-left": rng.randint(15, 60),
            "vm-answer": rng.randint(5, 25),
            "abandoned": rng.randint(1, 6),
        }.get(disposition, 0)

    def _note(self, outcome, disposition, words):
        """Return the call's note: rich text as note_html, else plaintext as note."""
        note = self.rng.choice(NOTES[outcome.name if outcome else disposition]).format(**words)
        return {"note_html": note} if note.startswith("<") else {"note": note}

    def _script(self, direction, disposition, outcome):
        """Return the conversation a recorded call or voicemail had, or None if none was kept."""
        rng = self.rng
        if disposition == "vm-left":
            return f"{direction} voicemail" if rng.random() < 0.3 else None
        if disposition != "answered" or rng.random() >= 0.15:
            return None
        if outcome is None:
            return "answered"
        return outcome.name if outcome.name in CONVERSATIONS else None

    def _when(self, country, duration):
        """Return a moment of the last DAYS days in `country`'s business hours, ended before now."""
        rng = self.rng
        day = (self.now - timedelta(days=rng.randrange(DAYS - 1))).replace(
            hour=0, minute=0, second=0, microsecond=0
        )
        local_time = timedelta(hours=rng.randint(9, 17), minutes=rng.randrange(60))
        moment = day + local_time - timedelta(hours=UTC_OFFSETS[country], seconds=rng.randrange(60))
        if moment.weekday() >= 5:
            moment -= timedelta(days=moment.weekday() - 4)
        while moment + timedelta(seconds=duration + 120) > self.now:
            moment -= timedelta(days=1)
        return moment


# The second organization: who of TEAM belongs to it, with which role; its leads (name,
# description, and one contact: name, title, phone); its calls' (disposition, minutes, note).
SECOND_ORGANIZATION = "Harbour Lane Lettings"
SECOND_MEMBERS = {"admin": Membership.Role.ADMIN, "rep1": Membership.Role.MEMBER}
SECOND_LEADS = [
    ("Kingsway Student Homes", "Student accommodation in Leeds.", "Oliver Hughes",
     "Lettings manager", "+441134960659"),
    ("Castlegate Estates", "Property developer, London.", "Amelia Wright", "Director",
     "+442079460958"),
    ("Riverside Facilities", "Facilities management, Manchester.", "Harry Clarke",
     "Operations lead", "+441614960123"),
    ("Brook & Vale Solicitors", "Conveyancing, Bristol.", "Isla Walker", "Partner",
     "+441174960345"),
]  # fmt: skip
SECOND_CALLS = [
    ("answered", 6, "Wants a valuation of their twelve flats before the summer."),
    ("no-answer", 0, ""),
    ("vm-left", 1, "Left a message about the landlord pack."),
    ("answered", 14, "Walked through our fees; sending the terms today."),
    ("busy", 0, ""),
    ("answered", 3, "Call back after their board meeting on Thursday."),
    ("no-answer", 0, ""),
    ("answered", 9, "Booked a viewing of the Castlegate show flat."),
]


def ensure_second_organization():
    """Return the small second organization, with `SECOND_MEMBERS` of the demo team in it and
    its leads and calls, creating what's missing (the team must exist: `ensure_team()`)."""
    organization, _ = Organization.objects.get_or_create(
        name=SECOND_ORGANIZATION, defaults={"phone_region": "GB", "time_zone": "Europe/London"}
    )
    users = []
    for username, role in SECOND_MEMBERS.items():
        user = User.objects.get(username=username)
        Membership.objects.get_or_create(
            user=user, organization=organization, defaults={"role": role}
        )
        users.append(user)
    if not organization.leads.exists():
        _fill_second_organization(organization, users, timezone.now())
    return organization


def _fill_second_organization(organization, users, now):
    leads = [
        lead_create(
            organization=organization,
            created_by=users[0],
            fields={"name": name, "description": description},
            contacts=[
                {"name": person, "title": title, "phones": [{"phone": phone, "type": "office"}]}
            ],
        )
        for name, description, person, title, phone in SECOND_LEADS
    ]
    for position, (disposition, minutes, note) in enumerate(SECOND_CALLS):
        lead = leads[position % len(leads)]
        contact = lead.contacts.get()
        call_create(
            organization=organization,
            created_by=users[position % len(users)],
            fields={
                "lead": lead,
                "contact": contact,
                "user": users[position % len(users)],
                "call_method": "regular",
                "disposition": disposition,
                "status": STATUS[disposition],
                "duration": minutes * 60 + 17 if minutes else 0,
                "phone": contact.first_phone,
                "note": note,
                "activity_at": now - timedelta(days=position, hours=2 + position % 5),
            },
        )
