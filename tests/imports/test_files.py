"""Files judged by their content: each refusal says what is wrong, and nothing is stored."""

import codecs
import io
import zipfile

import pytest

from imports.files import HEAD_BYTES, FileRefused
from imports.models import CallImport
from tests.imports.conftest import csv_text, import_file, upload

HEADER = "Id,Date,Company,Duration,Notes"
ROW = "c-1,2025-01-02 10:00,Wayne Enterprises,60,Hi"
SAVE_AS = 'Save it from the spreadsheet as "CSV UTF-8 (comma delimited)" and upload that.'


def _xlsx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as workbook:
        workbook.writestr("[Content_Types].xml", "<Types/>")
        workbook.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


def _refusal(organization, user, content, name="calls.csv"):
    with pytest.raises(FileRefused) as refused:
        upload(organization, user, content, name)
    return str(refused.value)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (b"\xef\xbb\xbf \r\n\r\n", "The file is empty."),
        (_xlsx(), f"This is not a CSV file: it is an Excel workbook (.xlsx) or another zip "
                  f"archive. {SAVE_AS}"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600),
         f"This is not a CSV file: it is an Excel 97-2003 workbook (.xls). {SAVE_AS}"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
         f"This is not a CSV file: it is a PDF document. {SAVE_AS}"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", f"This is not a CSV file: it holds binary data. "
                                                f"{SAVE_AS}"),
        (codecs.BOM_UTF16_LE + csv_text(HEADER, ROW).encode("utf-16-le"),
         f"The file is in UTF-16, not UTF-8. {SAVE_AS}"),
        (csv_text(HEADER, "c-1,2025-01-02 10:00,Soci\u00e9t\u00e9 G\u00e9n\u00e9rale,60,Hi")
         .encode("cp1252"),
         "The file is not in UTF-8: line 2 has a byte (0xe9) that UTF-8 does not allow; the "
         f"file may be in Windows-1252 or Latin-1. {SAVE_AS}"),
        (b"Just some words\nabout calls\n", "This is not a CSV file: its first line has no commas "
         "or semicolons between column names. The file needs a header row naming the columns "
         "(two at least)."),
        (b"Id\tDate\tCompany\nc-1\t2025-01-02\tWayne\n", "The columns are separated by tabs: "
         "save the file as CSV, with commas or semicolons between the columns."),
        (csv_text(ROW, ROW).encode(), "The first line looks like a row of calls "
         "(“2025-01-02 10:00”, “60”), not column names: add a header row naming each column, "
         "such as Date, Lead, Duration."),
        (csv_text("Id,Date,Notes,Company,notes", ROW).encode(), "The column “notes” appears twice "
         "(columns 3 and 5): give each column its own name."),
        (csv_text(HEADER).encode(), "The file has a header but no rows of calls after it."),
    ],
    ids=[
        "empty", "blank", "xlsx", "xls", "pdf", "png", "utf-16", "windows-1252", "prose", "tabs",
        "no header", "duplicate header", "header only",
    ],
)  # fmt: skip
def test_a_file_that_cannot_be_imported_is_refused_saying_why(acme, importer, content, message):
    assert _refusal(acme, importer, content) == message
    assert not CallImport.objects.exists()


def test_the_name_of_the_file_does_not_make_it_a_csv(acme, importer):
    assert _refusal(acme, importer, _xlsx(), name="calls.csv").startswith(
        "This is not a CSV file: it is an Excel workbook"
    )


def test_a_text_file_of_any_name_is_read_as_csv(acme, importer):
    call_import = upload(acme, importer, csv_text(HEADER, ROW), name="export.txt")

    assert call_import.header == HEADER.split(",")


def test_a_file_over_the_size_limit_is_refused(acme, importer, settings):
    settings.IMPORT_MAX_FILE_SIZE = 100

    content = csv_text(HEADER, *[ROW] * 5)

    message = _refusal(acme, importer, content)

    assert message == f"The file is {len(content)}\xa0bytes; the limit is 100\xa0bytes."
    assert not CallImport.objects.exists()


def test_utf8_with_a_bom_is_read(acme, importer, wayne):
    content = codecs.BOM_UTF8 + csv_text(HEADER, ROW).encode()

    call_import = import_file(acme, importer, content)

    assert call_import.header[0] == "Id"
    assert call_import.created == 1


def test_semicolons_separate_columns_too(acme, importer, wayne):
    content = csv_text(
        "Id;Date;Company;Duration;Notes", "c-1;2025-01-02 10:00;Wayne Enterprises;60;a, b"
    )

    call_import = import_file(acme, importer, content)

    assert (call_import.delimiter, call_import.created) == (";", 1)
    assert call_import.rejected == 0


def test_quoted_cells_keep_their_newlines_and_lines_are_counted_in_the_file(acme, importer, wayne):
    content = csv_text(
        HEADER,
        'c-1,2025-01-02 10:00,Wayne Enterprises,60,"First line\nsecond line\nthird, with a comma"',
        "c-2,not a date,Wayne Enterprises,60,Hi",
    )

    call_import = import_file(acme, importer, content)

    [rejected] = call_import.rejected_rows.all()
    assert rejected.line == 5  # the header, then a row over three lines
    assert rejected.reason.startswith("Date: “not a date” is not a date")


def test_a_bad_byte_past_the_head_stops_the_dry_run_at_its_line(acme, importer, wayne):
    rows = [f"c-{n},2025-01-02 10:00,Wayne Enterprises,60,Hi" for n in range(3000)]
    content = csv_text(HEADER, *rows).encode() + b"c-x,2025-01-02,Wayne,60,Caf\xe9\n"
    assert len(content) > HEAD_BYTES

    call_import = import_file(acme, importer, content)

    assert call_import.status == CallImport.Status.REFUSED
    assert call_import.reason.startswith("The file is not in UTF-8: line 3,002 has a byte (0xe9)")
    assert not call_import.organization.calls.exists()


def test_a_quote_never_closed_stops_the_dry_run(acme, importer, wayne):
    content = csv_text(HEADER, ROW, 'c-2,2025-01-02 10:00,Wayne Enterprises,60,"Hi') + "x" * 140_000

    call_import = import_file(acme, importer, content)

    assert call_import.status == CallImport.Status.REFUSED
    assert call_import.reason == (
        "Line 3 cannot be read as CSV: a cell is longer than 128 KB (a quote that is never "
        "closed?)."
    )
