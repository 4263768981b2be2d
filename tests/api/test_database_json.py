"""On PostgreSQL the lists' objects are written as JSON by the database (Plan.json_texts): the
same bytes orjson writes for the objects the Python path builds, whatever the rows hold."""

import datetime
import random
from decimal import Decimal

import orjson
import pytest
from django.test import RequestFactory

from accounts.models import User
from activities.api import CALL
from activities.models import Call
from api.json_schema import string
from api.renderers import ORJSONRenderer
from api.representations import Column, Constant, Representation
from tests.conftest import make_call, make_contact, make_outcome, make_user

pytestmark = pytest.mark.postgresql

URL = "/api/v1/activity/call/"
ODD_TEXT = [
    "",
    "plain",
    'quote " and back\\slash / </script>',
    "control \x01 \x08 \x0c \x1f \x7f and \t tab \n newline \r return",
    "unicode é 中文 😀 \u2028 \u2029 \u00a0 \ufeff",
    " \u3000 padded\xa0",
    "x" * 3000,
]


def dumped(objects):
    """The bytes of each object as the API's renderer writes it."""
    return [ORJSONRenderer().render(item) for item in objects]


def both_ways(fields, queryset=None):
    """Return each object of the organization's calls written by Python and by the database."""
    request = RequestFactory().get(URL)
    plan = CALL.plan(request, fields)
    queryset = (queryset or Call.objects.all()).order_by("-activity_at", "-id")
    python = dumped(plan.build(list(plan.rows(queryset))))
    database = [text.encode() for text in plan.json_texts(queryset)]
    return python, database


@pytest.fixture
def odd_calls(acme, lead, alice):
    """Calls whose stored values reach every corner a key has: NULLs, blanks, unicode,
    control characters, large numbers, any date, files and URLs, users without names."""
    chance = random.Random(17)
    contact = make_contact(lead)
    outcome = make_outcome(acme)
    users = [
        alice,
        None,
        make_user(acme, username="nameless", first_name="", last_name=""),
        make_user(acme, username="spaced", first_name="\u3000\t", last_name=" \xa0"),
        make_user(acme, username="uni", first_name=" Zoë\u2003", last_name="中文 "),
    ]
    calls = []
    for n in range(40):
        transcripts = None
        if n % 5 == 0:
            utterance = {
                "speaker_label": chance.choice(ODD_TEXT),
                "speaker_side": "contact",
                "start": chance.choice([0, 1.5, 2.25, 1e-7, 12345.678901]),
                "end": 99999.125,
                "text": chance.choice(ODD_TEXT),
            }
            transcripts = {
                "recording_transcript": {
                    "utterances": [utterance],
                    "summary_text": chance.choice(ODD_TEXT),
                }
            }
        call = make_call(lead, alice, transcripts=transcripts)
        when = datetime.datetime(
            chance.randint(1, 9999),
            chance.randint(1, 12),
            chance.randint(1, 28),
            chance.randint(0, 23),
            chance.randint(0, 59),
            chance.randint(0, 59),
            chance.choice([0, 1, 500000, 999999]),
            tzinfo=datetime.UTC,
        )
        # Stored values as any row may hold them, rows from before a rule included.
        Call.objects.filter(pk=call.pk).update(
            user=chance.choice(users),
            created_by=chance.choice(users),
            updated_by=chance.choice(users),
            contact=chance.choice([None, contact]),
            outcome=chance.choice([None, outcome]),
            activity_at=when,
            date_answered=chance.choice([None, when]),
            disposition=chance.choice(["", "answered", "no-answer"]),
            duration=chance.choice([0, 1, 2_147_483_647]),
            voicemail_duration=chance.choice([0, 59, 2_147_483_647]),
            cost=chance.choice(
                [None, Decimal(0), Decimal("0.0001"), Decimal("2.5"), Decimal("99999999.9900")]
            ),
            phone=chance.choice(["", "+16505551234", "+442079460000", "+1", "+", "+1650555"]),
            local_phone=chance.choice(["", "+16505550000"]),
            recording_file=chance.choice(["", "recordings/2026/11/a.mp3"]),
            recording_url=chance.choice(["", "https://example.com/ü?q=\"a\"&b='c'"]),
            voicemail_file=chance.choice(["", "voicemails/2026/11/v.wav"]),
            voicemail_url=chance.choice(["", "https://example.com/vm.mp3"]),
            note=chance.choice(ODD_TEXT),
            note_html=chance.choice(ODD_TEXT),
        )
        calls.append(call)
    return calls


def test_every_key_is_written_the_same_by_both(odd_calls):
    python, database = both_ways(set(CALL.names(opt_in=True)))

    assert len(database) == len(odd_calls)
    assert database == python


def test_the_default_keys_are_written_the_same_by_both(odd_calls):
    python, database = both_ways(None)

    assert database == python


def test_each_key_alone_is_written_the_same_by_both(odd_calls):
    for name in CALL.names(opt_in=True):
        python, database = both_ways({name})

        assert database == python, name


def test_random_choices_of_keys_are_written_the_same_by_both(odd_calls):
    chance = random.Random(1717)
    names = CALL.names(opt_in=True)
    for _ in range(30):
        fields = set(chance.sample(names, chance.randint(1, len(names))))

        python, database = both_ways(fields)

        assert database == python, sorted(fields)


def test_a_list_answers_the_same_objects_as_the_browsable_apis_rendering(alice_api, odd_calls):
    """The indented rendering (asked for by the browsable API) still builds the objects in
    Python: both answers hold the same objects."""
    compact = alice_api.get(URL + "?_limit=100")
    indented = alice_api.get(URL + "?_limit=100", HTTP_ACCEPT="application/json; indent=2")

    assert compact.status_code == indented.status_code == 200
    assert b"\n" not in compact.content
    assert b'\n  "data"' in indented.content
    assert orjson.loads(compact.content) == orjson.loads(indented.content)
    assert len(orjson.loads(compact.content)["data"]) == len(odd_calls)


def test_a_user_renamed_is_shown_by_the_next_list(alice_api, alice, odd_calls):
    User.objects.filter(pk=alice.pk).update(first_name="Alicia")

    data = alice_api.get(URL + f"?user_id={alice.id}&_fields=user_name").json()["data"]

    assert {item["user_name"] for item in data} == {"Alicia Archer"}


def test_each_request_gets_links_to_its_own_host(odd_calls, settings):
    """The SQL is compiled once and reused: the host of the request that compiled it must not
    stay in the links of the next request's page."""
    settings.ALLOWED_HOSTS = ["first.example", "second.example"]
    recorded = Call.objects.exclude(recording_file="").order_by("-activity_at", "-id")
    for host in ("first.example", "second.example"):
        request = RequestFactory().get(URL, HTTP_HOST=host)
        plan = CALL.plan(request, {"recording_url"})

        urls = {orjson.loads(text)["recording_url"] for text in plan.json_texts(recorded)}

        assert urls == {f"http://{host}/calls/{call.id}/recording/" for call in recorded}


def test_key_names_are_written_as_json_whatever_they_hold(odd_calls):
    """Key names are written into the SQL itself: quotes, percent signs and backslashes in
    them stay what they are."""
    odd = Representation(
        Column("id"),
        Constant('it\'s 100% \\ "odd"', "%s", schema=string()),
        Column("%(name)s", "note", schema=string()),
        name="Odd",
        description="Keys with SQL's and Python's special characters.",
    )
    request = RequestFactory().get(URL)
    plan = odd.plan(request)
    queryset = Call.objects.order_by("id")

    database = [orjson.loads(text) for text in plan.json_texts(queryset)]

    assert database == plan.build(list(plan.rows(queryset)))


def test_a_plain_json_list_is_written_by_the_database(
    alice_api, odd_calls, django_assert_num_queries
):
    with django_assert_num_queries(2) as captured:
        response = alice_api.get(URL + "?_limit=100")

    page_query = captured.captured_queries[-1]["sql"]
    assert response.status_code == 200
    assert len(response.json()["data"]) == len(odd_calls)
    assert page_query.count("to_json(") > 20
    assert "COUNT(" not in page_query.upper()
