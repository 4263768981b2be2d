"""What the browser tests of the rep pages share: `world`, a small organization with what the
pages show, `sized_page`, a browser page at each of the widths every page must work at, and
`lead_page`, Alice on the world's lead's page at each width."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import Membership
from tests.browser.conftest import WIDTHS, sign_in
from tests.conftest import make_call, make_contact, make_lead, make_organization, make_user, wav

HEIGHTS = {"desktop": 900, "phone": 844}
UTTERANCES = [
    ("contact", "Bruce Wayne", 0.4, 3.6, "Hello, Bruce Wayne speaking."),
    ("close-user", "Alice Archer", 4.0, 8.2, "Hi Bruce, it's Alice from Acme."),
    ("contact", "Bruce Wayne", 8.6, 12.9, "We're reviewing the budget for the new fleet."),
]


@dataclass
class World:
    """What the pages show: Acme's lead with two contacts and three calls (a voicemail, an
    answered call with a recording and its transcript, another rep's no-answer), a lead with
    no call, and Alice (a member), Carol (a staff organization admin) and Dave (the only member
    of an organization with no lead)."""

    lead: object
    empty_lead: object
    call: object
    voicemail: object
    others_call: object
    users: dict


@pytest.fixture
def world(acme, alice, lead):
    now = timezone.now()
    bruce = make_contact(
        lead,
        name="Bruce Wayne",
        title="CEO",
        phones=[{"phone": "+16505551234", "type": "office"}],
        emails=[{"email": "bruce@wayne.example", "type": "office"}],
    )
    make_contact(lead, name="Lucius Fox", phones=[{"phone": "+16505550199", "type": "mobile"}])
    robin = make_user(acme, first_name="Robin", last_name="Reyes")
    others_call = make_call(
        lead, robin, contact=bruce, disposition="no-answer", duration=0, phone="+16505551234",
        activity_at=now - timedelta(days=6),
    )  # fmt: skip
    voicemail = make_call(
        lead, alice, contact=bruce, disposition="vm-left", duration=34, phone="+16505551234",
        note_html="<p>Left a voicemail about the <em>Q3 fleet</em> renewal.</p>",
        activity_at=now - timedelta(days=3),
    )  # fmt: skip
    voicemail.voicemail_file.save("voicemail.wav", ContentFile(wav(seconds=2)), save=True)
    call = make_call(
        lead, alice, contact=bruce, direction="inbound", disposition="answered", duration=13,
        phone="+16505551234", activity_at=now - timedelta(hours=2),
        note_html="<p>Bruce called back. <strong>Demo booked</strong>.</p>",
        transcripts={"recording_transcript": {
            "summary_text": "A demo is booked.",
            "utterances": [
                {"speaker_side": side, "speaker_label": label, "start": start, "end": end,
                 "text": text}
                for side, label, start, end, text in UTTERANCES
            ],
        }},
    )  # fmt: skip
    call.recording_file.save("call.wav", ContentFile(wav(seconds=13)), save=True)
    carol = make_user(acme, role=Membership.Role.ADMIN, username="carol", is_staff=True)
    dave = make_user(make_organization(name="Initech"), username="dave")
    return World(
        lead=lead,
        empty_lead=make_lead(acme, name="Stark Industries"),
        call=call,
        voicemail=voicemail,
        others_call=others_call,
        users={"alice": alice, "carol": carol, "dave": dave},
    )


@pytest.fixture(params=WIDTHS, ids=list(WIDTHS))
def sized_page(request, browser, live_server):
    """A signed-out browser page, once at a desktop's width and once at a phone's."""
    viewport = {"width": WIDTHS[request.param], "height": HEIGHTS[request.param]}
    context = browser.new_context(base_url=live_server.url, viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def lead_page(sized_page, world, client, live_server):
    """Alice on the lead's page: Bruce Wayne and Lucius Fox as contacts, three calls."""
    sign_in(sized_page.context, client, world.users["alice"], live_server.url)
    sized_page.goto(world.lead.get_absolute_url())
    return sized_page
