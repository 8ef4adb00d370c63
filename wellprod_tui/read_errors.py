"""Turning DuckDB reader errors into messages that name the user's file, record, line and field."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from wellprod_tui.store import count_json_array_records

_IN_FILE = re.compile(r'in file "([^"]+)"')
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
    first = first.replace(str(path), path.name)
    cleaned = re.sub(r"^[A-Za-z ]+Error: ", "", first).strip()
    return f"{path}{where}: {cleaned}"


def _records_before(chunks: list[Path]) -> int | None:
    """Count the records of the earlier part files (only on the error path)."""
    return count_json_array_records(chunks) if chunks else 0
