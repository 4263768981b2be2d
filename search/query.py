"""What a search asks for, in the syntax of PostgreSQL's `websearch_to_tsquery`.

Words must all be there (`fleet budget`); `"quoted words"` must come in that order; `or`
between two words takes either; a leading `-` leaves out what has the word or phrase
(`budget -discount`). PostgreSQL reads the text itself; SQLite gets it as an FTS5 query
(`fts5()`), and both ask `finds_anything` before searching: a query that only leaves words out
(or has no word at all) finds nothing rather than every row without them.
"""

import re
from dataclasses import dataclass

MAX_LENGTH = 500
# A quoted phrase (closed or running to the end), or a run of other characters.
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+")


class QueryError(ValueError):
    pass


@dataclass(frozen=True)
class Term:
    """A word, or a phrase (several words in a row), that must be there or, negated, not be."""

    words: tuple
    negated: bool = False

    def fts5(self):
        return '"' + " ".join(self.words) + '"'  # \w+ words: no quote to double


@dataclass(frozen=True)
class SearchText:
    text: str
    clauses: tuple = ()  # each a tuple of Terms, any of which will do; every clause must hold
    excluded: tuple = ()  # Terms that must not be there

    @property
    def finds_anything(self):
        return bool(self.clauses)

    def fts5(self):
        """Return the query in SQLite FTS5's syntax, every word quoted as a string."""
        found = " AND ".join(
            "(" + " OR ".join(term.fts5() for term in clause) + ")" for clause in self.clauses
        )
        if self.excluded:
            found = f"({found}) NOT (" + " OR ".join(t.fts5() for t in self.excluded) + ")"
        return found


def parse(text):
    """Return the `SearchText` of `text`; QueryError if it is too long to be a search."""
    text = (text or "").strip()
    if len(text) > MAX_LENGTH:
        raise QueryError(f"A search has at most {MAX_LENGTH} characters.")
    clauses, excluded, either = [], [], False
    for match in _TOKEN.finditer(text):
        minus, phrase, bare = match.groups()
        if bare is not None and bare.lower() == "or":
            either = bool(clauses)
            continue
        if bare is not None:
            minus, phrase = ("-", bare[1:]) if bare.startswith("-") else ("", bare)
        words = tuple(_WORD.findall(phrase))
        if not words:
            continue
        term = Term(words, negated=bool(minus))
        if term.negated:
            excluded.append(term)
        elif either:
            clauses[-1] = (*clauses[-1], term)
        else:
            clauses.append((term,))
        either = False
    return SearchText(text, tuple(clauses), tuple(excluded))
