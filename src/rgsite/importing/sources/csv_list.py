"""A spreadsheet exported as CSV (or TSV): a header row, then one talk a row.

The header is the first row with two or more names in it, so a title row above it is
fine. Blank cells are no value; blank rows are skipped. Commas, semicolons (as Excel
writes in many countries) and tabs are told apart from the header. A value keeps the
line its row starts on, which a cell over several lines does not change.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from rgsite.errors import Location
from rgsite.importing.entry import Entry, FileFinder, Source, Value
from rgsite.importing.report import Report
from rgsite.importing.sources.documents import Unread, read_text

DELIMITERS = ",;\t"


def read_csv_file(
    path: Path, shown: str, *, report: Report, source: Source, find: FileFinder
) -> None:
    """Add the talks of one CSV file to ``source``."""
    try:
        text = read_text(path, shown)
    except Unread as exc:
        source.skipped.append((exc.where, exc.why))
        return
    rows = _rows(text, _delimiter(path, text))
    header: list[str] | None = None
    for line, row in rows:
        cells = [cell.strip() for cell in row]
        if header is None:
            if sum(1 for cell in cells if cell) >= 2:
                header = cells
                _check_header(header, shown, line, report)
            continue
        if not any(cells):
            continue
        values = []
        for column, cell in enumerate(cells):
            if not cell:
                continue
            where = Location(shown, line)
            if column >= len(header) or not header[column]:
                report.cannot_use(
                    f"column {column + 1}", cell, where, "is in a column with no name in the header"
                )
                continue
            values.append(Value(header[column], cell, where))
        source.entries.append(Entry(Location(shown, line), values, find=find))
    if header is None:
        source.skipped.append(
            (Location(shown, 1), "has no header row naming its columns (title, date, speaker...)")
        )


def _delimiter(path: Path, text: str) -> str:
    if path.suffix.lower() == ".tsv":
        return "\t"
    first = next((line for line in text.split("\n") if line.strip()), "")
    counts = {d: first.count(d) for d in DELIMITERS}
    return max(DELIMITERS, key=lambda d: counts[d]) if any(counts.values()) else ","


def _rows(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows, last = [], 0
    for row in reader:
        rows.append((last + 1, row))
        last = reader.line_num
    return rows


def _check_header(header: list[str], shown: str, line: int, report: Report) -> None:
    seen: dict[str, int] = {}
    for column, name in enumerate(header):
        if name and name.lower() in seen:
            report.cannot_use(
                name,
                None,
                Location(shown, line),
                f"names columns {seen[name.lower()] + 1} and {column + 1}; rename one in the "
                "header so each column has its own name",
            )
        seen.setdefault(name.lower(), column)
