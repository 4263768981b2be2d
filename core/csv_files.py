"""Every CSV the project writes goes through here, so that a spreadsheet opens it as data.

A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula, and some read a
leading tab or carriage return past to one; a call's note or a lead's name is anyone's text, so
such a text cell is written with a `'` in front (OWASP's advice), which spreadsheets show as
text.

Numbers are left as they are, so that they stay numbers and phone numbers stay usable: a number
(int, float, Decimal), or a text that starts with `+` or `-` and has only digits, spaces, dots,
dashes and parentheses besides (`-12.5`, `+16505551234`, `+1 650-555-1234`). No function, cell
reference or link can be written with those characters.
"""

import csv
import re
from decimal import Decimal

from django.http import StreamingHttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER_OR_PHONE = re.compile(r"[+-][0-9 .()-]*")


def csv_cell(value):
    """`value` as one CSV cell: "" for None, true/false as the API writes them, numbers as they
    are, text with a `'` in front when it would start a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS) and not _is_number_or_phone(text):
        return "'" + text
    return text


def csv_value(cell):
    """A text cell read back from a CSV: the `'` that `csv_cell` (or a spreadsheet) put in front
    of a would-be formula is taken off, so that a file we wrote imports as the values it had.
    Anything else is left as it is; nothing in a cell is ever evaluated."""
    if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS):
        return cell[1:]
    return cell


def _is_number_or_phone(text):
    return NUMBER_OR_PHONE.fullmatch(text) is not None and any(c.isdigit() for c in text)


class CsvWriter:
    """csv.writer over `file`, writing each value through `csv_cell`."""

    def __init__(self, file):
        self._writer = csv.writer(file)

    def writerow(self, values):
        return self._writer.writerow([csv_cell(value) for value in values])


class _Echo:
    """A file-like object whose write() hands back what csv.writer wrote."""

    def write(self, value):
        return value


def csv_lines(rows):
    """Yield each of `rows` (iterables of values) as a line of CSV, as it is read."""
    writer = CsvWriter(_Echo())
    for row in rows:
        yield writer.writerow(row)


def csv_download(rows, filename):
    """A streamed CSV download of `rows`, the first being the header."""
    response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
