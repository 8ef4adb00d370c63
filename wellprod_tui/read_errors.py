"""Turning DuckDB reader errors into messages that name the user's file, record, line and field."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from wellprod_tui.store import count_json_array_records

_IN_FILE = re.compile(r'in file "([^"]+)"')
_BYTE_LINE = re.compile(r",? ?at byte (\d+) in line (\d+)")
_RECORD = re.compile(r"(?:in )?record/value (\d+)")


def explain_read_error(path: Path, exc: BaseException, source: Any) -> str | None:
    """A message for a reader error that names ``path`` (not a temporary part file); None if not one."""
    text = str(exc)
    first = text.splitlines()[0] if text else type(exc).__name__
    if not any(word in text for word in ("JSON", "CSV", "Parquet", "parquet", "Conversion Error", "Invalid Input")):
        return None
    chunks = list(getattr(source, "chunk_files", []) or [])
    where = ""
    named = _IN_FILE.search(text)
    if named and chunks and Path(named.group(1)) in chunks:
        index = chunks.index(Path(named.group(1)))
        record = _RECORD.search(text)
        if record:
            offset = _records_before(chunks[:index])
            where = f" (record {offset + int(record.group(1))} of the data array)" if offset is not None else ""
        first = first.replace(named.group(0), "").replace("  ", " ")
    elif (located := _BYTE_LINE.search(first)) and getattr(source, "format", "") == "ndjson":
        # DuckDB's "line" counts records from 2; find the real line (error path only)
        record = int(located.group(2)) - 1
        where = f" (line {_line_of_record(path, record)}, record {record}, character {located.group(1)})"
        first = first.replace(located.group(0), "")
        if named:
            first = first.replace(named.group(0), "")
    first = first.replace(str(path), path.name)
    cleaned = re.sub(r"^[A-Za-z ]+Error: ", "", first).replace(" :", ":").replace("  ", " ").strip()
    return f"{path}{where}: {cleaned}"


def _records_before(chunks: list[Path]) -> int | None:
    """Count the records of the earlier part files (only on the error path)."""
    return count_json_array_records(chunks) if chunks else 0


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
