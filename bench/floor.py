"""The floor: about the least a Python server can do to answer the call list.

A bare WSGI callable with one psycopg connection per worker. It runs the call list's SQL (the
same columns, the organization and an optional lead filter, newest first, LIMIT n+1), zips rows
into dicts and serializes them with orjson into the same envelope. No Django, no authentication
(the organization comes from BENCH_ORGANIZATION_ID), no validation. Not part of the product.
"""

import os
from urllib.parse import parse_qsl

import orjson
import psycopg

from leads.phones import format_phone


def display_name(alias):
    full_name = f"btrim({alias}.first_name || ' ' || {alias}.last_name)"
    return f"COALESCE(NULLIF({full_name}, ''), {alias}.username)"


COLUMNS = [
    ("id", "c.id"),
    ("_type", "'Call'"),
    ("organization_id", "c.organization_id"),
    ("lead_id", "c.lead_id"),
    ("contact_id", "c.contact_id"),
    ("user_id", "c.user_id"),
    ("user_name", display_name("u")),
    ("created_by", "c.created_by_id"),
    ("created_by_name", display_name("cb")),
    ("updated_by", "c.updated_by_id"),
    ("updated_by_name", display_name("ub")),
    ("date_created", "c.date_created"),
    ("date_updated", "c.date_updated"),
    ("activity_at", "c.activity_at"),
    ("date_answered", "c.date_answered"),
    ("direction", "c.direction"),
    ("status", "c.status"),
    ("disposition", "c.disposition"),
    ("call_method", "c.call_method"),
    ("source", "c.source"),
    ("duration", "c.duration"),
    ("cost", "trim_scale(c.cost)::text"),
    ("phone", "c.phone"),
    ("remote_phone", "c.phone"),
    (
        "remote_phone_formatted",
        r"CASE WHEN c.phone ~ '^\+1[0-9]{10}$' THEN '+1 ' || substr(c.phone, 3, 3) || '-' "
        "|| substr(c.phone, 6, 3) || '-' || substr(c.phone, 9) END",
    ),
    ("local_phone", "c.local_phone"),
    ("recording_url", "NULLIF(c.recording_url, '')"),
    ("has_recording", "(c.recording_url <> '' OR c.recording_file <> '')"),
    ("voicemail_url", "NULLIF(c.voicemail_url, '')"),
    ("voicemail_duration", "c.voicemail_duration"),
    ("note", "c.note"),
    ("note_html", "c.note_html"),
    ("outcome_id", "c.outcome_id"),
]
NAMES = [name for name, _ in COLUMNS]
SQL = """
SELECT {columns}
FROM activities_call c
LEFT JOIN accounts_user u ON u.id = c.user_id
LEFT JOIN accounts_user cb ON cb.id = c.created_by_id
LEFT JOIN accounts_user ub ON ub.id = c.updated_by_id
WHERE c.organization_id = %(organization)s {lead_filter}
ORDER BY c.activity_at DESC, c.id DESC
LIMIT %(limit)s OFFSET %(skip)s
"""
COLUMNS_SQL = ", ".join(expression for _, expression in COLUMNS)
ORGANIZATION_SQL = SQL.format(columns=COLUMNS_SQL, lead_filter="")
LEAD_SQL = SQL.format(columns=COLUMNS_SQL, lead_filter="AND c.lead_id = %(lead)s")

_connection = None


def connection():
    global _connection
    if _connection is None or _connection.closed:
        _connection = psycopg.connect(os.environ["DATABASE_URL"], autocommit=True)
        _connection.execute("SET TIME ZONE 'UTC'")
    return _connection


def application(environ, start_response):
    params = dict(parse_qsl(environ.get("QUERY_STRING", "")))
    try:
        limit, skip = int(params.get("_limit", 100)), int(params.get("_skip", 0))
    except ValueError:
        start_response("400 Bad Request", [("Content-Type", "application/json")])
        return [b'{"error": "bad _limit or _skip"}']
    arguments = {
        "organization": os.environ["BENCH_ORGANIZATION_ID"],
        "lead": params.get("lead_id"),
        "limit": limit + 1,
        "skip": skip,
    }
    rows = connection().execute(LEAD_SQL if arguments["lead"] else ORGANIZATION_SQL, arguments)
    rows = rows.fetchall()
    data = []
    for row in rows[:limit]:
        call = dict(zip(NAMES, row, strict=True), users=[])
        if call["remote_phone_formatted"] is None:
            call["remote_phone_formatted"] = format_phone(call["phone"])
        data.append(call)
    body = orjson.dumps({"has_more": len(rows) > limit, "data": data})
    start_response(
        "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    )
    return [body]
