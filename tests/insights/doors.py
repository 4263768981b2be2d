"""Calls created, moved in time, handed to another rep, given another disposition, outcome or
duration, and deleted through the three doors people use: the API, the rep's forms (Django's
test client) and the admin, as random activity for the insights tests."""

import datetime
import json

from django.contrib.admin.utils import quote
from django.urls import reverse

from activities.models import Call
from tests.conftest import admin_form_data

DOORS = ("api", "form", "admin")
DISPOSITIONS = list(Call.Disposition.values)
API = "/api/v1/activity/call/"


def _exists_once(moment, zone):
    """Whether the local time of `moment` in `zone` names it alone: a form takes local times,
    and one the clocks skip or pass twice would be refused or ambiguous."""
    local = moment.astimezone(zone).replace(tzinfo=None)
    earlier = local.replace(tzinfo=zone, fold=0).astimezone(datetime.UTC)
    later = local.replace(tzinfo=zone, fold=1).astimezone(datetime.UTC)
    return earlier == later == moment.replace(microsecond=0)


class Doors:
    """Write calls of `team` (tests/insights/conftest.py) as its admin, through each door."""

    def __init__(self, team, zone):
        self.team, self.zone = team, zone
        self.api, self.page = team["api"], team["page"]

    # What a random call or change is made of

    def random_fields(self, rng, start, end, door):
        """A call's fields: a moment in [start, end), a rep, a direction, a disposition (and an
        outcome when it connected), a duration, that the seed's rules allow through `door`."""
        fields = {"activity_at": self.random_moment(rng, start, end, door)}
        fields["user"] = rng.choice(
            [*self.team["reps"], None] if door != "form" else self.team["reps"]
        )
        fields.update(self.random_result(rng, door))
        fields["lead"] = rng.choice(self.team["leads"])
        return fields

    def random_moment(self, rng, start, end, door):
        while True:
            moment = start + (end - start) * rng.random()
            moment = moment.replace(microsecond=0)
            if door == "api" or _exists_once(moment, self.zone):
                return moment

    def random_result(self, rng, door):
        dispositions = (
            DISPOSITIONS if door != "form" else [d for d in DISPOSITIONS if d != "abandoned"]
        )
        disposition = rng.choice(dispositions + ["answered"] * 4)
        direction = rng.choice(["outbound", "outbound", "inbound"])
        if disposition == "vm-answer":
            direction = "inbound"
        if disposition == "abandoned":
            direction = "outbound"
        outcome = None
        if disposition == "answered" and rng.random() < 0.6:
            outcome = rng.choice(self.team["outcomes"])
        return {
            "direction": direction,
            "disposition": disposition,
            "outcome": outcome,
            "duration": rng.randrange(0, 1800) if rng.random() < 0.9 else 0,
        }

    # Writing

    def create(self, door, fields):
        """Log a call with `fields` through `door`; return its id."""
        before = set(Call.objects.values_list("pk", flat=True))
        getattr(self, f"_create_{door}")(fields)
        (created,) = set(Call.objects.values_list("pk", flat=True)) - before
        return created

    def update(self, door, call_id, changes):
        getattr(self, f"_update_{door}")(Call.objects.get(pk=call_id), changes)

    def delete(self, door, call_id):
        if door == "api":
            response = self.api.delete(f"{API}{call_id}/")
            assert response.status_code == 200, response.content
        elif door == "form":
            response = self.page.post(reverse("activities:call_delete", args=[call_id]))
            assert response.status_code == 302
        else:
            url = reverse("admin:activities_call_delete", args=[quote(call_id)])
            response = self.page.post(url, {"post": "yes"})
            assert response.status_code == 302
        assert not Call.objects.filter(pk=call_id).exists()

    # The API

    def _api_body(self, fields):
        body = {}
        for name, value in fields.items():
            if name in ("user", "outcome", "lead"):
                body[f"{name}_id"] = value.pk if value is not None else None
            elif name == "activity_at":
                body[name] = value.isoformat()
            else:
                body[name] = value
        if body.get("disposition") == "abandoned":
            body["call_method"] = "predictive"
        return body

    def _create_api(self, fields):
        response = self.api.post(API, json.dumps(self._api_body(fields)), "application/json")
        assert response.status_code == 200, response.content

    def _update_api(self, call, changes):
        body = self._api_body(changes)
        if "disposition" in changes and changes["disposition"] != "answered":
            body["outcome_id"] = None
        response = self.api.put(f"{API}{call.pk}/", json.dumps(body), "application/json")
        assert response.status_code == 200, response.content

    # The rep's forms

    def _form_values(self, fields):
        values = {}
        for name, value in fields.items():
            if name in ("user", "outcome"):
                values[name] = value.pk if value is not None else ""
            elif name == "activity_at":
                values[name] = value.astimezone(self.zone).strftime("%Y-%m-%dT%H:%M:%S")
            elif name != "lead":
                values[name] = str(value)
        return values

    def _create_form(self, fields):
        url = reverse("activities:call_create", args=[fields["lead"].pk])
        data = {
            "contact": "",
            "phone": "",
            "cost": "",
            "note_html": "",
            **self._form_values(fields),
        }
        response = self.page.post(url, data)
        assert response.status_code == 302, response.context["form"].errors

    def _update_form(self, call, changes):
        url = reverse("activities:call_edit", args=[call.pk])
        form = self.page.get(url).context["form"]
        data = {name: form[name].value() for name in form.fields if not name.endswith("_file")}
        data["activity_at"] = form.fields["activity_at"].widget.format_value(data["activity_at"])
        data = {name: "" if value is None else value for name, value in data.items()}
        if "disposition" in changes and changes["disposition"] != "answered":
            data["outcome"] = ""
        data.update(self._form_values(changes))
        response = self.page.post(url, data)
        assert response.status_code == 302, response.context["form"].errors

    # The admin

    def _admin_values(self, fields):
        values = {}
        for name, value in fields.items():
            if name in ("user", "outcome", "lead"):
                values[name] = value.pk if value is not None else ""
            elif name == "activity_at":
                local = value.astimezone(self.zone)
                values["activity_at_0"] = local.strftime("%Y-%m-%d")
                values["activity_at_1"] = local.strftime("%H:%M:%S")
            else:
                values[name] = str(value)
        if fields.get("disposition") == "abandoned":
            values["call_method"] = "predictive"
        return values

    def _create_admin(self, fields):
        url = reverse("admin:activities_call_add")
        data = admin_form_data(
            self.page.get(url),
            organization=self.team["organization"].pk,
            status="completed",
            voicemail_duration="0",
            **{"transcripts-TOTAL_FORMS": "0", "transcripts-INITIAL_FORMS": "0"},
            **self._admin_values(fields),
        )
        response = self.page.post(url, data)
        assert response.status_code == 302, response.context["adminform"].form.errors

    def _update_admin(self, call, changes):
        url = reverse("admin:activities_call_change", args=[quote(call.pk)])
        data = admin_form_data(self.page.get(url), **self._admin_values(changes))
        if "disposition" in changes and changes["disposition"] != "answered":
            data["outcome"] = ""
        response = self.page.post(url, data)
        assert response.status_code == 302, response.context["adminform"].form.errors


def random_activity(doors, rng, start, end, calls=40, changes=40):
    """Create `calls` calls in [start, end) through random doors, then make `changes` random
    changes (a move in time, another rep, another disposition or outcome, another duration, a
    deletion), each through a random door. Return the ids of the calls left."""
    ids = []
    for _ in range(calls):
        door = rng.choice(DOORS)
        ids.append(doors.create(door, doors.random_fields(rng, start, end, door)))
    for _ in range(changes):
        door = rng.choice(DOORS)
        call_id = rng.choice(ids)
        call = Call.objects.get(pk=call_id)
        if door == "form" and call.disposition == "abandoned":
            door = "api"  # the form logs the rep's own calls, which no predictive dialer made
        kind = rng.choice(["move", "rep", "result", "outcome", "duration", "delete"])
        if kind == "delete":
            doors.delete(door, call_id)
            ids.remove(call_id)
            continue
        if kind == "move":
            changes_ = {"activity_at": doors.random_moment(rng, start, end, door)}
        elif kind == "rep":
            reps = doors.team["reps"] + ([None] if door != "form" else [])
            changes_ = {"user": rng.choice(reps)}
        elif kind == "result":
            result = doors.random_result(rng, door)
            if call.call_method != "predictive" and result["disposition"] == "abandoned":
                result["disposition"] = "busy"
            if result["disposition"] == "abandoned" or call.disposition == "abandoned":
                door = "api" if door == "form" else door
            changes_ = result
        elif kind == "outcome":
            if call.disposition != "answered":
                continue
            changes_ = {"outcome": rng.choice([*doors.team["outcomes"], None])}
        else:
            changes_ = {"duration": rng.randrange(0, 3600)}
        doors.update(door, call_id, changes_)
    return ids
