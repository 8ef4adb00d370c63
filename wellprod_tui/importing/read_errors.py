"""DuckDB's CSV reader set up once for every delimited file (native or read through a profile), and reader
errors turned into messages that name the user's file, record, line and field."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from wellprod_tui.core.sql_text import sql_literal
from wellprod_tui.importing.json_feed import records_before
from wellprod_tui.importing.report import ImportFailed
from wellprod_tui.importing.tables import CSV_REJECTS, CSV_SCANS
from wellprod_tui.storage.connection import Connection

_IN_FILE = re.compile(r'in file "([^"]+)"')
_BYTE_LINE = re.compile(r",? ?at byte (\d+) in line (\d+)")
_PART = re.compile(r"part-(\d+)\.json$")
_RECORD = re.compile(r"(?:in )?record/value (\d+)")
#: A malformed record: DuckDB counts these from 2 (a value it cannot type, from 1).
_BYTE_RECORD = re.compile(r",? ?at byte (\d+) in record/value (\d+)")


def csv_reader_sql(path: Path, columns: tuple[str, ...], delimiter: str, lines_before_data: int = 1) -> str:
    """read_csv over ``path`` with every column as text: lines of the wrong shape are set aside in
    CSV_REJECTS (an unclosed quote among them, see ``refuse_unclosed_quote``), the same way for every source."""
    listed = "{" + ", ".join(f"{sql_literal(c)}: 'VARCHAR'" for c in columns) + "}"
    start = "header=true" if lines_before_data == 1 else f"header=false, skip={lines_before_data}"
    return (
        f"read_csv({sql_literal(str(path))}, {start}, auto_detect=false, hive_partitioning=false, "
        f"delim={sql_literal(delimiter)}, "
        f"quote='\"', escape='\"', columns={listed}, store_rejects=true, rejects_table='{CSV_REJECTS}', "
        f"rejects_scan='{CSV_SCANS}', max_line_size=134217728, encoding='utf-8', allow_quoted_nulls=false)"
    )


def csv_line_map(
    path: Path, lines_before_data: int, set_aside: set[int]
) -> tuple[list[tuple[int, int, int]], list[tuple[int, int, int]]]:
    """Where the CSV reader's rows lie in the file when a quoted value spans lines or blank lines occur
    (read on the error path only). The reader counts a quoted multi-line value as one line and skips blank
    lines; a record is a non-blank line after ``lines_before_data``. Returns the good rows' breakpoints
    (row, line - row, record - row), one where either offset changes, and each line the reader set aside
    (``set_aside``, by its count) as (reader line, line, record)."""
    breaks: list[tuple[int, int, int]] = []
    asides: list[tuple[int, int, int]] = []
    physical = logical = good = record = 0
    inside, last = False, (0, 0)
    with path.open("rb") as handle:
        for raw in handle:
            physical += 1
            starts, inside = not inside, inside != (raw.count(b'"') % 2 == 1)  # "" keeps the parity
            if not starts:
                continue
            logical += 1
            if logical <= lines_before_data or not raw.strip(b"\r\n"):
                continue
            record += 1
            if logical in set_aside:
                asides.append((logical, physical, record))
                continue
            good += 1
            if (physical - good, record - good) != last or not breaks:
                last = (physical - good, record - good)
                breaks.append((good, *last))
    return breaks, asides


def refuse_unclosed_quote(con: Connection, path: Path, where: Callable[[int], str] | None = None) -> None:
    """Raise ImportFailed for a quote that is never closed: it swallows the rest of the file into one value,
    so the file fails whole, naming the line, rather than counting the rest as one rejected "line" (``where``
    names a line of many files joined: the file and its own line)."""
    row = con.execute(
        f"""SELECT line, column_name FROM {CSV_REJECTS}
        WHERE error_type = 'UNQUOTED VALUE' AND contains(csv_line, chr(10)) ORDER BY line LIMIT 1"""
    ).fetchone()
    if row is not None:
        place = where(row[0]) if where else f"{path}: line {row[0]}"
        raise ImportFailed(
            f"{place}, field {row[1]}: a quote opens here and is never closed, so the rest of the "
            'file would be read as one value. Close the quote (or write it twice: ""). Nothing imported.'
        )


def explain_read_error(path: Path, exc: BaseException, source: Any) -> str | None:
    """A message for a reader error that names ``path`` (not a temporary part file); None if not one."""
    text = str(exc)
    first = text.splitlines()[0] if text else type(exc).__name__
    if not any(word in text for word in ("JSON", "CSV", "Parquet", "parquet", "Conversion Error", "Invalid Input")):
        return None
    where = ""
    named = _IN_FILE.search(text)
    part = _PART.search(named.group(1)) if named else None
    if named and part and getattr(source, "spans", None):
        before = records_before(path, source.spans, int(part.group(1)))
        if malformed := _BYTE_RECORD.search(first):
            number = before + int(malformed.group(2)) - 1
            where = f" (record {number} of the data array, character {malformed.group(1)})"
            first = first.replace(malformed.group(0), "")
        elif record := _RECORD.search(text):
            where = f" (record {before + int(record.group(1))} of the data array)"
        first = first.replace(named.group(0), "").replace("  ", " ")
    elif (located := _BYTE_LINE.search(first)) and getattr(source, "format", "") == "ndjson":
        # DuckDB's "line" counts records from 2; find the real line (error path only)
        number = int(located.group(2)) - 1
        where = f" (line {_line_of_record(path, number)}, record {number}, character {located.group(1)})"
        first = first.replace(located.group(0), "")
        if named:
            first = first.replace(named.group(0), "")
    first = first.replace(str(path), path.name)
    cleaned = re.sub(r"^[A-Za-z ]+Error: ", "", first).replace(" :", ":").replace("  ", " ").strip()
    return f"{path}{where}: {cleaned}"


def _line_of_record(path: Path, record: int) -> int:
    """The line of the ``record``-th non-blank line of a text file."""
    seen = 0
    with path.open("rb") as handle:
        for number, line in enumerate(handle, 1):
            if line.strip():
                seen += 1
                if seen == record:
                    return number
    return record
