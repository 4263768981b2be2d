"""Reading an uploaded CSV file: what its content must be, and its rows, streamed.

An upload is judged by its content, never by its name or declared type. Its head (HEAD_BYTES)
must be text in UTF-8 (with or without a BOM), not a workbook, a PDF or other binary data, and
its first record a header naming at least two columns, each once, separated by commas or
semicolons. The rest of the file is read by the dry run, which stops at the first line that is
not UTF-8 or not CSV and says which.

Rows are read from storage as a stream (`RowReader`), never held whole in memory, whatever the
file's size. A record may span lines (a quoted cell with newlines); it is numbered by the line
it starts on, the header being line 1.
"""

import codecs
import csv
import io
import re
from dataclasses import dataclass

HEAD_BYTES = 64 * 1024
DELIMITERS = (",", ";")
SAVE_AS = 'Save it from the spreadsheet as "CSV UTF-8 (comma delimited)" and upload that.'

# What a file is, by its first bytes, when it is not text.
SIGNATURES = (
    (b"PK\x03\x04", "an Excel workbook (.xlsx) or another zip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an Excel 97-2003 workbook (.xls)"),
    (b"%PDF-", "a PDF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"{\\rtf", "an RTF document"),
)
# UTF-32's little-endian BOM starts with UTF-16's: it is looked for first.
OTHER_UNICODE = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)
# A header names columns; a cell like these is a row's value, so the header row is missing.
VALUE_PATTERNS = (
    re.compile(r"\d{4}-\d{1,2}-\d{1,2}([ T].*)?"),  # 2024-03-05, 2024-03-05T14:03
    re.compile(r"\d{1,2}[/.]\d{1,2}[/.]\d{2,4}( .*)?"),  # 3/5/2024, 05.03.2024 14:03
    re.compile(r"[+-]?\d[\d .,()-]*"),  # numbers and phone numbers
    re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+"),  # emails
    re.compile(r"https?://\S+", re.IGNORECASE),
)


class FileRefused(Exception):
    """The file cannot be imported; the message says why, in words for the admin."""


@dataclass(frozen=True)
class Head:
    delimiter: str
    header: list


def inspect(file):
    """Check the head of `file` (binary, seekable); return its delimiter and header.

    Raises FileRefused, saying what is wrong, for an empty file, another Unicode encoding,
    bytes that are not UTF-8, binary content, a first line that is not a header of two or
    more columns, a column named twice, or a header with no row after it.
    """
    file.seek(0)
    head = file.read(HEAD_BYTES)
    whole = not file.read(1)
    file.seek(0)
    for bom, encoding in OTHER_UNICODE:
        if head.startswith(bom):
            raise FileRefused(f"The file is in {encoding}, not UTF-8. {SAVE_AS}")
    if not head.removeprefix(codecs.BOM_UTF8).strip():
        raise FileRefused("The file is empty.")
    for signature, kind in SIGNATURES:
        if head.startswith(signature):
            raise FileRefused(f"This is not a CSV file: it is {kind}. {SAVE_AS}")
    if b"\x00" in head:
        raise FileRefused(f"This is not a CSV file: it holds binary data. {SAVE_AS}")
    text = _decode(head, whole)
    if not whole:
        text = text[: text.rfind("\n") + 1] or text  # leave out the line cut in the middle
    delimiter, records = _first_records(text)
    header = [cell.strip() for cell in records[0]]
    _check_header(header)
    if len(records) < 2 and whole:
        raise FileRefused("The file has a header but no rows of calls after it.")
    return Head(delimiter, header)


def _decode(head, whole):
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    try:
        return decoder.decode(head, final=whole)
    except UnicodeDecodeError as error:
        line = head[: error.start].count(b"\n") + 1
        raise FileRefused(not_utf8(line, head[error.start])) from None


def not_utf8(line, byte=None):
    which = f" ({byte:#04x})" if byte is not None else ""
    return (
        f"The file is not in UTF-8: line {line:,} has a byte{which} that UTF-8 does not allow; "
        f"the file may be in Windows-1252 or Latin-1. {SAVE_AS}"
    )


def _first_records(text):
    """The delimiter that splits the header into the most columns, and the first two records."""
    best = None
    for delimiter in DELIMITERS:
        records = []
        try:
            for record in csv.reader(io.StringIO(text), delimiter=delimiter):
                if record:
                    records.append(record)
                if len(records) == 2:
                    break
        except csv.Error as error:
            raise FileRefused(f"This is not a CSV file that can be read: {error}.") from None
        if best is None or len(records[0]) > len(best[1][0]):
            best = (delimiter, records)
    delimiter, records = best
    if len(records[0]) < 2:
        if "\t" in records[0][0]:
            raise FileRefused(
                "The columns are separated by tabs: save the file as CSV, with commas or "
                "semicolons between the columns."
            )
        raise FileRefused(
            "This is not a CSV file: its first line has no commas or semicolons between "
            "column names. The file needs a header row naming the columns (two at least)."
        )
    return delimiter, records


def _check_header(header):
    values = [cell for cell in header if any(p.fullmatch(cell) for p in VALUE_PATTERNS)]
    if values:
        shown = ", ".join(f"“{value}”" for value in values[:3])
        raise FileRefused(
            f"The first line looks like a row of calls ({shown}), not column names: add a "
            "header row naming each column, such as Date, Lead, Duration."
        )
    seen = {}
    for position, name in enumerate(header, start=1):
        if not name:
            continue
        key = name.casefold()
        if key in seen:
            raise FileRefused(
                f"The column “{name}” appears twice (columns {seen[key]} and {position}): "
                "give each column its own name."
            )
        seen[key] = position


def column_label(header, index):
    """A column's name as the pages show it; an unnamed column is called by its position."""
    return header[index] or f"Column {index + 1}"


class RowReader:
    """The records after the header of a stored CSV, read as a stream: iterate for (line, cells).

    `position` is how far into the file (in bytes) the reading has got, for progress. Raises
    FileRefused at a line that is not UTF-8 or not CSV. Blank lines are skipped.
    """

    def __init__(self, binary, delimiter):
        self.binary = binary
        self.text = io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")
        self.reader = csv.reader(self.text, delimiter=delimiter)
        self.line = 1

    @property
    def position(self):
        return self.binary.tell()

    def __iter__(self):
        try:
            next(self.reader, None)  # the header
            self.line = self.reader.line_num + 1
            for cells in self.reader:
                if cells:
                    yield self.line, cells
                self.line = self.reader.line_num + 1
        except UnicodeDecodeError:
            raise FileRefused(not_utf8(*_first_bad_byte(self.binary))) from None
        except csv.Error as error:
            message = f"Line {self.line:,} cannot be read as CSV: {_csv_error(error)}"
            raise FileRefused(message) from None

    def close(self):
        self.text.detach()
        self.binary.close()


def _first_bad_byte(binary):
    """The line and the value of the first byte of `binary` that is not UTF-8.

    The text reader decodes ahead of the rows, a chunk at a time: the line it was at when
    decoding failed is not the bad byte's, so the file is read again, line by line.
    """
    binary.seek(0)
    for line, raw in enumerate(binary, start=1):
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as error:
            return line, raw[error.start]
    return 1, None


def _csv_error(error):
    message = str(error)
    if "field larger than field limit" in message:
        return "a cell is longer than 128 KB (a quote that is never closed?)."
    if "unexpected end of data" in message:
        return "a quoted cell is never closed."
    return message + "."
