"""`python -m bench.profile` puts each sampled stack in the part of the request it ran in."""

from bench.profile import breakdown

SITE = "/venv/lib/python3.11/site-packages/"
HANDLER = (
    f"SyncWorker.handle_request ({SITE}gunicorn/workers/sync.py:168);"
    f"WSGIHandler.__call__ ({SITE}django/core/handlers/wsgi.py:120);"
    f"convert_exception_to_response.<locals>.inner ({SITE}django/core/handlers/exception.py:52);"
    f"BaseHandler._get_response ({SITE}django/core/handlers/base.py:180);"
    f"APIView.dispatch ({SITE}rest_framework/views.py:500)"
)


def folded(*stacks):
    return "\n".join(f"{HANDLER};{stack} {count}" for stack, count in stacks)


def test_the_key_lookups_query_is_authentication():
    parts, _, total = breakdown(
        folded(
            (
                f"APIView._authenticate ({SITE}rest_framework/request.py:380);"
                f"SQLCompiler.as_sql ({SITE}django/db/models/sql/compiler.py:700);"
                f"Cursor.execute ({SITE}psycopg/cursor.py:90)",
                3,
            )
        )
    )

    assert total == 3
    assert parts["authentication"] == 3


def test_compiling_sql_while_iterating_is_query_building_and_converters_are_row_shaping():
    iterate = (
        f"ValuesIterable.__iter__ ({SITE}django/db/models/query.py:200);"
        f"SQLCompiler.results_iter ({SITE}django/db/models/sql/compiler.py:1500)"
    )
    parts, _, _ = breakdown(
        folded(
            (f"{iterate};SQLCompiler.as_sql ({SITE}django/db/models/sql/compiler.py:700)", 2),
            (
                f"{iterate};Field.from_db_value ({SITE}django/db/models/fields/json.py:9)",
                5,
            ),
        )
    )

    assert parts["query building"] == 2
    assert parts["row shaping"] == 5


def test_waiting_is_not_counted():
    _, _, total = breakdown(folded((f"Connection.wait ({SITE}psycopg/connection.py:400)", 7)))

    assert total == 0
