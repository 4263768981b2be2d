"""How each database writes and matches the search index (search/models.py), behind one face.

PostgreSQL: each row's `vector` is `to_tsvector(SEARCH_CONFIG, <the text, HTML-escaped>)`,
GIN-indexed; a search is `websearch_to_tsquery(SEARCH_CONFIG, <what was typed>)`, ranked by
`ts_rank`, and its fragments come from `ts_headline` over the same escaped text.

SQLite (the quick start): the text is indexed by FTS5 (`search_entry_fts`, an external-content
table kept by triggers, migration 0001) with the Porter stemmer, so English words match their
other forms as they do on PostgreSQL's `english`; the search is translated to FTS5's syntax
(search/query.py), ranked by `bm25`, and its fragments come from `snippet`, escaped in Python.

Either way the matched words are marked with two control characters that no indexed text
holds (they are taken out of it), and only once the text around them is escaped do they become
`<mark>` and `</mark>`: nothing a caller said or wrote can become markup.
"""

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, FloatField, Func, Q, TextField, Value
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import mark_safe

from activities.models import Call, Transcript
from search.models import Entry

START, STOP = "\x02", "\x03"  # the matched words' markers
FRAGMENT_WORDS = 30
# PostgreSQL's parser reads <…> as markup and skips it: its tsvector and fragments are of the
# escaped text, where everything said is words.
ESCAPED = "replace(replace(replace({}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;')"

ENTRY, TRANSCRIPT, CALL = (model._meta.db_table for model in (Entry, Transcript, Call))
COLUMNS = (
    "organization_id, call_id, transcript_id, kind, position, speaker_side, speaker_label, "
    'start, "end", text, activity_at'
)


def _marked(html):
    return mark_safe(html.replace(START, "<mark>").replace(STOP, "</mark>"))


class HtmlEscaped(Func):
    """The text with &, < and > escaped: what is left is text, whatever it was."""

    template = ESCAPED.format("%(expressions)s")
    output_field = TextField()


class PostgreSQL:
    # Each row to index, in COLUMNS' order; `text` without the markers.
    UTTERANCES = f"""
        SELECT t.organization_id, t.call_id, t.id AS transcript_id, t.kind, u.n - 1 AS position,
            coalesce(u.item->>'speaker_side', '') AS speaker_side,
            coalesce(u.item->>'speaker_label', '') AS speaker_label,
            (u.item->>'start')::float8 AS start, (u.item->>'end')::float8 AS "end",
            translate(coalesce(u.item->>'text', ''), chr(2) || chr(3), '') AS text,
            c.activity_at
        FROM "{TRANSCRIPT}" t
        JOIN "{CALL}" c ON c.id = t.call_id
        CROSS JOIN LATERAL jsonb_array_elements(t.utterances) WITH ORDINALITY AS u(item, n)"""
    NOTES = f"""
        SELECT c.organization_id, c.id AS call_id, NULL::bigint AS transcript_id,
            'note' AS kind, 0 AS position, '' AS speaker_side, '' AS speaker_label,
            NULL::float8 AS start, NULL::float8 AS "end",
            translate(c.note, chr(2) || chr(3), '') AS text, c.activity_at
        FROM "{CALL}" c"""

    def insert_sql(self, rows, where):
        return (
            f'INSERT INTO "{ENTRY}" ({COLUMNS}, vector) '
            f"SELECT {COLUMNS}, to_tsvector(%s::regconfig, {ESCAPED.format('said.text')}) "
            f"FROM ({rows} WHERE {where}) said WHERE said.text <> ''"
        )

    def insert_params(self, params):
        return [settings.SEARCH_CONFIG, *params]

    def before_rebuild(self, cursor):
        """Hold writers of the index until the rebuild commits: no row written twice."""
        cursor.execute(f'LOCK TABLE "{ENTRY}" IN SHARE ROW EXCLUSIVE MODE')

    def after_rebuild(self, cursor):
        pass

    def _tsquery(self, search):
        return SearchQuery(search.text, search_type="websearch", config=settings.SEARCH_CONFIG)

    def matches(self, search):
        """The condition on Entry rows that say what `search` asks for."""
        return Q(vector=self._tsquery(search))

    def rank(self, search):
        """How well a row matches: higher is better."""
        return SearchRank(F("vector"), self._tsquery(search))

    def fragment(self, search):
        """A row's text around the matched words, escaped, the words between the markers."""
        return SearchHeadline(
            HtmlEscaped("text"),
            self._tsquery(search),
            config=settings.SEARCH_CONFIG,
            start_sel=START,
            stop_sel=STOP,
            max_words=FRAGMENT_WORDS,
            min_words=FRAGMENT_WORDS // 2,
        )

    def fragment_html(self, fragment):
        # &, < and > were escaped before the headline; the quotes are escaped as escape() does.
        return _marked(fragment.replace('"', "&quot;").replace("'", "&#x27;"))


class FtsValue(Func):
    """`function` of an entry's FTS5 row, as matched by an FTS5 query (SQLite)."""

    def __init__(self, function, fts_query, output_field):
        super().__init__(Value(fts_query), F("pk"), output_field=output_field)
        self.function = function

    def as_sql(self, compiler, connection, **extra_context):
        query, entry = (compiler.compile(e) for e in self.get_source_expressions())
        sql = (
            f"(SELECT {self.function} FROM search_entry_fts "
            f"WHERE search_entry_fts MATCH {query[0]} AND rowid = {entry[0]})"
        )
        return sql, (*query[1], *entry[1])


class SQLite:
    UTTERANCES = f"""
        SELECT t.organization_id, t.call_id, t.id AS transcript_id, t.kind,
            CAST(u.key AS integer) AS position,
            coalesce(json_extract(u.value, '$.speaker_side'), '') AS speaker_side,
            coalesce(json_extract(u.value, '$.speaker_label'), '') AS speaker_label,
            json_extract(u.value, '$.start') AS start, json_extract(u.value, '$.end') AS "end",
            replace(replace(coalesce(json_extract(u.value, '$.text'), ''), char(2), ''),
                char(3), '') AS text,
            c.activity_at
        FROM "{TRANSCRIPT}" t JOIN "{CALL}" c ON c.id = t.call_id, json_each(t.utterances) u"""
    NOTES = f"""
        SELECT c.organization_id, c.id AS call_id, NULL AS transcript_id, 'note' AS kind,
            0 AS position, '' AS speaker_side, '' AS speaker_label, NULL AS start,
            NULL AS "end", replace(replace(c.note, char(2), ''), char(3), '') AS text,
            c.activity_at
        FROM "{CALL}" c"""

    def insert_sql(self, rows, where):
        return (
            f'INSERT INTO "{ENTRY}" ({COLUMNS}) '
            f"SELECT {COLUMNS} FROM ({rows} WHERE {where}) said WHERE said.text <> ''"
        )

    def insert_params(self, params):
        return list(params)

    def before_rebuild(self, cursor):
        pass  # a writing transaction locks the whole database

    def after_rebuild(self, cursor):
        cursor.execute("INSERT INTO search_entry_fts(search_entry_fts) VALUES ('rebuild')")

    def matches(self, search):
        rows = RawSQL(
            "SELECT rowid FROM search_entry_fts WHERE search_entry_fts MATCH %s", [search.fts5()]
        )
        return Q(pk__in=rows)

    def rank(self, search):
        return FtsValue("-bm25(search_entry_fts)", search.fts5(), FloatField())

    def fragment(self, search):
        snippet = f"snippet(search_entry_fts, 0, char(2), char(3), '…', {FRAGMENT_WORDS})"
        return FtsValue(snippet, search.fts5(), TextField())

    def fragment_html(self, fragment):
        return _marked(escape(fragment))


def backend():
    """Return the search backend of the database in use."""
    return PostgreSQL() if connection.vendor == "postgresql" else SQLite()
