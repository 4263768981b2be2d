"""Stored XSS: every hostile input of the corpus, sent through the API, the rep's forms and the
admin into every field that reaches a page, runs nowhere.

Each input becomes a lead's name, a contact's name and title, a call's note (as note_html and as
plaintext note), an outcome's name and description, and a transcript's utterance, speaker and
summary. Then Chromium loads every page that shows them: the lead list, the lead pages (with
the call's timeline row, the contacts and every outcome in the filters), the calls' edit forms
(where the note editor parses the note again) and transcripts, and the admin's changelists and
call forms (note and transcript editors, every lead, contact and outcome by name). On none of
them may a script run (no dialog, `window.__xss` stays undefined), nor may the page hold an
event-handler attribute, a `javascript:`/`data:` link, a foreign script, style, frame or object.

The browser ignores the Content-Security-Policy here (`bypass_csp`), so that the escaping and
sanitizing are proven on their own; test_content_security_policy.py proves the second wall.
"""

import json

import pytest
from django.conf import settings
from django.contrib.admin.utils import quote
from django.urls import reverse

from activities.models import Call, Outcome, Transcript
from leads.models import Contact, Lead
from tests.conftest import admin_form_data, make_call
from tests.security.xss_corpus import XSS_CORPUS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OUR_SCRIPTS = r"^/(static/(js|vendor|admin|rest_framework)/|admin/jsi18n/)"
FIND_INJECTED = """
(ourScriptsPattern) => {
    const ourScripts = new RegExp(ourScriptsPattern);
    const found = [];
    if (window.__xss !== undefined) found.push(`window.__xss = ${window.__xss}`);
    const urlAttributes = ["href", "src", "action", "formaction", "xlink:href", "data", "poster"];
    for (const element of document.querySelectorAll("*")) {
        const tag = element.tagName.toLowerCase();
        for (const attribute of element.attributes) {
            const name = attribute.name.toLowerCase();
            const value = attribute.value.replace(/[\\s\\u0000-\\u001f]/g, "").toLowerCase();
            if (name.startsWith("on")) found.push(`<${tag} ${name}>`);
            if (name === "srcdoc") found.push(`<${tag} srcdoc>`);
            if (urlAttributes.includes(name) && /^(javascript|vbscript|data:text)/.test(value))
                found.push(`<${tag} ${name}="${value}">`);
            if (name === "style" && /expression|javascript|url\\(/.test(value))
                found.push(`<${tag} style="${value}">`);
        }
        if (["iframe", "frame", "object", "embed", "base", "applet"].includes(tag))
            found.push(`<${tag}>`);
        if (tag === "meta" && element.httpEquiv) found.push(`<meta http-equiv>`);
        if (tag === "script" && element.type !== "application/json") {
            const url = element.src ? new URL(element.src) : null;
            const ours = url && url.origin === location.origin && ourScripts.test(url.pathname);
            if (!ours) found.push(`<script src="${element.src || "(inline)"}">`);
        }
        if (tag === "style" && !element.dataset.tagName) found.push("<style>");
        const stylesheet = tag === "link" && element.rel === "stylesheet";
        if (stylesheet && !element.href.startsWith(location.origin))
            found.push(`<link href="${element.href}">`);
    }
    return found;
}
"""
FIGURES = {"stores": 0, "pages": 0}


def _api(client, method, url, body):
    response = client.generic(method, url, json.dumps(body), content_type="application/json")
    assert response.status_code in (200, 201), response.content
    return response.json()


def through_api(client, n, payload, **_):
    lead = _api(
        client, "POST", "/api/v1/lead/",
        {"name": payload, "description": payload,
         "contacts": [{"name": payload, "title": payload}]},
    )  # fmt: skip
    outcome = _api(
        client, "POST", "/api/v1/outcome/",
        {"name": f"{payload[:80]} (api {n})", "description": payload},
    )  # fmt: skip
    utterance = {"speaker_label": payload, "speaker_side": "contact", "start": 0, "end": 1,
                 "text": payload}  # fmt: skip
    note = {"note_html": payload} if n % 2 == 0 else {"note": payload}
    summary = {"summary_html": payload} if n % 2 == 0 else {"summary_text": payload}
    _api(
        client, "POST", "/api/v1/activity/call/",
        {"lead_id": lead["id"], "contact_id": lead["contacts"][0]["id"], "duration": 60,
         "outcome_id": outcome["id"], **note,
         "recording_transcript": {"utterances": [utterance], **summary}},
    )  # fmt: skip


def through_forms(client, n, payload, api, **_):
    """The rep's forms: a lead with a contact, then a call with its note (no outcomes or
    transcripts there: those come through the API)."""
    response = client.post(
        reverse("leads:create"),
        {"name": payload, "description": payload, "contacts-TOTAL_FORMS": "1",
         "contacts-INITIAL_FORMS": "0", "contacts-0-name": payload, "contacts-0-title": payload},
    )  # fmt: skip
    assert response.status_code == 302, response.content
    lead = Lead.objects.get(pk=response["Location"].split("/")[2])
    outcome = _api(
        api, "POST", "/api/v1/outcome/",
        {"name": f"{payload[:80]} (form {n})", "description": payload},
    )  # fmt: skip
    # The editor's hidden input carries note_html; without JavaScript the plaintext box does.
    note = {"note_html": payload} if n % 2 == 0 else {"note_html": "", "note_html_text": payload}
    response = client.post(
        reverse("activities:call_create", args=[lead.id]),
        {"contact": lead.contacts.get().id, "direction": "outbound", "disposition": "answered",
         "outcome": outcome["id"], "duration": "1:00", "activity_at": "2024-05-01T14:30:00",
         **note},
    )  # fmt: skip
    assert response.status_code == 302, response.content
    call = Call.objects.get(lead=lead)
    utterance = {"speaker_label": payload, "speaker_side": "contact", "start": 0, "end": 1,
                 "text": payload}  # fmt: skip
    _api(
        api, "PUT", f"/api/v1/activity/call/{call.id}/",
        {"recording_transcript": {"utterances": [utterance], "summary_html": payload}},
    )  # fmt: skip


_ADD_FORMS = {}


def _admin_add(client, model, **changes):
    """Fill the admin's add form of `model` (read once) with `changes`; return the new object."""
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
    if url not in _ADD_FORMS:
        _ADD_FORMS[url] = admin_form_data(client.get(url))
    response = client.post(url, {**_ADD_FORMS[url], **changes})
    assert response.status_code == 302, response.context["adminform"].form.errors
    return model.objects.order_by("-date_created").first()


def through_admin(client, n, payload, acme, alice, **_):
    lead = _admin_add(client, Lead, organization=acme.pk, name=payload, description=payload)
    contact = _admin_add(client, Contact, lead=lead.pk, name=payload, title=payload)
    outcome = _admin_add(
        client, Outcome, organization=acme.pk, name=f"{payload[:80]} (admin {n})",
        description=payload,
    )  # fmt: skip
    call = _admin_add(
        client, Call, organization=acme.pk, lead=lead.pk, contact=contact.pk, user=alice.pk,
        direction="outbound", call_method="regular", duration="60", outcome=outcome.pk,
        note_html=payload,
    )  # fmt: skip
    _admin_add(
        client, Transcript, call=call.pk, kind="recording", summary_html=payload,
        **{"utterances-TOTAL": "1", "utterances-0-speaker_label": payload,
           "utterances-0-speaker_side": "contact", "utterances-0-start": "0",
           "utterances-0-end": "1", "utterances-0-text": payload},
    )  # fmt: skip


ENTRIES = {"api": through_api, "form": through_forms, "admin": through_admin}


@pytest.fixture
def stored(acme, alice, alice_key, settings):
    """The corpus, stored through every entry; returns the pages that show it."""
    from django.test import Client

    from tests.conftest import api_client

    settings.API_RATE_LIMIT = ""
    alice.memberships.update(role="admin")  # outcomes are an organization admin's to create
    api = api_client(alice_key)
    rep = Client()
    rep.force_login(alice)
    admin = Client()
    admin.force_login(alice.__class__.objects.create_superuser("root", "r@example.com", "pw"))
    clients = {"api": api, "form": rep, "admin": admin}
    _ADD_FORMS.clear()
    for n, payload in enumerate(XSS_CORPUS):
        for entry, store in ENTRIES.items():
            store(clients[entry], n, payload, api=api, acme=acme, alice=alice)
            FIGURES["stores"] += 1
    calls = Call.objects.select_related("lead", "contact", "outcome", "created_by")
    calls = calls.prefetch_related("transcripts").order_by("date_created")
    pages = {
        "rep": [f"/leads/?page={n}" for n in range(1, Lead.objects.count() // 25 + 2)]
        + [f"/leads/{call.lead_id}/" for call in distinct(calls, lead_shown)]
        + [f"/calls/{call.id}/edit/" for call in distinct(calls, call_shown)]
        + [f"/calls/{call.id}/transcript/" for call in distinct(calls, transcript_shown)],
        "admin": [
            f"/admin/{model}/?all=" for model in (
                "leads/lead", "leads/contact", "activities/call", "activities/outcome",
                "activities/transcript",
            )
        ]
        + [f"/admin/activities/call/{quote(call.id)}/change/" for call in calls
           if call.created_by.is_superuser],
    }  # fmt: skip
    return pages, {"rep": rep, "admin": admin}


# What each page shows of a call and its lead. The same input often lands the same way through
# the API, the forms and the admin, and pages showing the same values render the same: each
# page is loaded once for each different set of values it shows.


def lead_shown(call):
    return call.lead.name, call.lead.description, call_shown(call)


def call_shown(call):
    return (
        call.lead.name, call.contact.name, call.contact.title, call.note, call.note_html,
        call.outcome.name.rsplit(" (", 1)[0], call.outcome.description,
    )  # fmt: skip


def transcript_shown(call):
    transcript = call.transcripts.get()
    return call.lead.name, transcript.summary_html, repr(transcript.utterances)


def distinct(calls, shown):
    chosen = {}
    for call in calls:
        chosen.setdefault(shown(call), call)
    return chosen.values()


@pytest.fixture
def unguarded_page(browser, live_server):
    """A browser tab that ignores the Content-Security-Policy and records every dialog."""
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    context.close()


def test_no_stored_input_runs_on_any_page(stored, unguarded_page, live_server):
    pages, sessions = stored
    page = unguarded_page

    found = {}
    for who in ("rep", "admin"):
        page.context.clear_cookies()
        session = sessions[who].cookies[settings.SESSION_COOKIE_NAME].value
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
        )
        for url in pages[who]:
            response = page.goto(url, wait_until="load")
            assert response.status == 200, url
            injected = page.evaluate(FIND_INJECTED, OUR_SCRIPTS) + page.dialogs
            page.dialogs.clear()
            if injected:
                found[url] = injected
            FIGURES["pages"] += 1

    assert found == {}


def test_the_check_sees_markup_stored_past_the_sanitizer(
    unguarded_page, live_server, client, alice, lead
):
    """The check above has teeth: a note written around the services is caught."""
    call = make_call(lead, alice)
    Call.objects.filter(pk=call.pk).update(
        note="a",
        note_html='<body><img src=x onerror="window.__xss=1"><a href="javascript:x">a</a></body>',
    )
    client.force_login(alice)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    unguarded_page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )

    unguarded_page.goto(f"/leads/{lead.id}/", wait_until="load")

    assert set(unguarded_page.evaluate(FIND_INJECTED, OUR_SCRIPTS)) == {
        "window.__xss = 1",
        "<img onerror>",
        '<a href="javascript:x">',
    }


@pytest.fixture(scope="module", autouse=True)
def report_figures(request):
    yield
    with request.config.pluginmanager.getplugin("capturemanager").global_and_fixture_disabled():
        print(
            f"\nstored XSS: {len(XSS_CORPUS)} hostile inputs, {FIGURES['stores']} stores "
            f"through API, forms and admin, {FIGURES['pages']} page loads, nothing ran"
        )
