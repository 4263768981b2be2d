"""Events and webhook subscriptions as the API shows them (and as deliveries carry events).

They are here rather than in api.py because the deliveries build events with them too, and
api.py sits above the services and jobs that deliver.
"""

from api.json_schema import array, boolean, choices, nullable, object_schema, ref, string
from api.representations import USER_ID, Column, DateTime, Representation
from events.models import Event, WebhookSubscription

ANY_OBJECT = object_schema({}, required=(), closed=False)

EVENT = Representation(
    Column("id", schema=string(example="ev_2vLkcGzvVYJ1yZQ6o3WnUd")),
    DateTime("date_created"),
    DateTime("date_updated"),
    Column("organization_id"),
    Column("object_type", schema=string(example="activity.call")),
    Column("object_id"),
    Column("action", schema=choices(Event.Action.choices)),
    Column("lead_id", schema=nullable(string())),
    Column("user_id", schema=USER_ID),
    Column("api_key_id", schema=nullable(string(description="The id of the API key used."))),
    Column("request_id", schema=nullable(string(description="Also the `X-Request-Id` header."))),
    Column("changed_fields", schema=array(string(), description="Sorted; updates only.")),
    Column(
        "previous_data",
        schema={**ANY_OBJECT, "description": "The changed fields' values before the update."},
    ),
    Column("data", schema=nullable(ref("EventObject"))),
    Column("meta", schema=ref("EventMeta")),
    name="Event",
    description="One change of one object, as Close's event log shows it. `data` and "
    "`previous_data` are left out of events over an hour old, but for organization admins.",
)

WEBHOOK_SUBSCRIPTION = Representation(
    Column("id", schema=string(example="whsub_8AmjKCZYT3zI8eZoi4HhFC")),
    Column("url", schema=string(format="uri")),
    Column("events", schema=array(ref("WebhookEvent"))),
    Column("verify_ssl", schema=boolean()),
    Column("status", schema=choices(WebhookSubscription.Status.choices)),
    Column("created_by", "created_by_id", schema=USER_ID),
    DateTime("date_created"),
    DateTime("date_updated"),
    name="WebhookSubscription",
    description="Where the organization's events of the listed kinds are POSTed, signed.",
)
