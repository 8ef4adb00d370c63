"""Turning DuckDB reader errors into messages that name the user's file, record, line and field."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from wellprod_tui.importing.json_feed import records_before

_IN_FILE = re.compile(r'in file "([^"]+)"')
_BYTE_LINE = re.compile(r",? ?at byte (\d+) in line (\d+)")
_PART = re.compile(r"part-(\d+)\.json$")
_RECORD = re.compile(r"(?:in )?record/value (\d+)")
#: A malformed record: DuckDB counts these from 2 (a value it cannot type, from 1).
_BYTE_RECORD = re.compile(r",? ?at byte (\d+) in record/value (\d+)")


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
