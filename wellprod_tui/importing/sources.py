"""Input files: detect the format and describe how DuckDB's own readers read each one.

CSV columns are read as text and JSON numbers as numbers (or as text when a value does not convert), so
that validation (set-wise, in SQL) sees what the file holds; Parquet keeps its own types. The JSON
API response ``{"data": [...]}`` is cut at record boundaries into a few array files that DuckDB reads in
parallel, instead of one giant object: bounded memory and close to NDJSON speed.
"""

from __future__ import annotations

import csv
import io
import json
import mmap
import re
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from wellprod_tui.core.domain import KEY_COLUMNS, RATE_COLUMNS, RECORD_COLUMNS
from wellprod_tui.core.sql_text import sql_literal
from wellprod_tui.importing import profiles
from wellprod_tui.importing.file_scan import dataset_files
from wellprod_tui.importing.json_feed import LayoutError, records_span, split_spans
from wellprod_tui.importing.profile_sql import CompiledProfile, compile_profile
from wellprod_tui.importing.read_errors import csv_reader_sql
from wellprod_tui.storage.connection import Connection

FORMATS = ("json", "ndjson", "csv", "parquet")
_EXTENSIONS = {
    ".json": "json",
    ".ndjson": "ndjson",
    ".jsonl": "ndjson",
    ".csv": "csv",
    ".txt": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
}
_SNIFF_BYTES = 64 * 1024
_DATA_KEY = re.compile(rb'^\s*\{\s*"data"\s*:\s*\[')
MAX_OBJECT_BYTES = 16 * 1024 * 1024
#: Types the JSON reader converts to on the fast path; a file it cannot convert is read again as text.
#: Codes stay text: the reader would round 12.5 to 12 and takes some strings, and a code must be exact.
FAST_JSON_TYPES = {c: "DOUBLE" for c in ("days_on_production", *RATE_COLUMNS)}


class SourceError(Exception):
    """An input file that cannot be read; the message names the file and what is wrong."""


@dataclass
class Source:
    """A file ready to read: its format, how it was recognised, and DuckDB's reader over it."""

    path: Path
    format: str
    detected_by: str
    size_bytes: int
    columns: tuple[str, ...] = RECORD_COLUMNS
    ignored_columns: tuple[str, ...] = ()
    missing_columns: tuple[str, ...] = ()
    spans: list[tuple[int, int]] = field(default_factory=list)
    column_types: dict[str, str] = field(default_factory=dict)
    delimiter: str = ","
    #: A mapping profile asked for by name, and the folder of the user's own profiles.
    profile_name: str | None = None
    profiles_dir: Path | None = None
    #: The duplicates policy, which a daily profile applies to a repeated well-day.
    duplicates: str = "reject"
    duplicates_chosen: bool = False
    #: The profile the file is read through (asked for, or recognised by the header), compiled.
    profile: profiles.Profile | None = None
    compiled: CompiledProfile | None = None

    def source_types(self, fast: bool) -> dict[str, str]:
        """DuckDB types the reader gives each record column: typed numbers on the fast path, else text."""
        if self.compiled is not None:
            return {c: "VARCHAR" for c in RECORD_COLUMNS}
        if self.format == "parquet":
            return {c: t for c, t in self.column_types.items() if c in RECORD_COLUMNS}
        if self.format == "csv":
            return {c: "VARCHAR" for c in self.columns if c in RECORD_COLUMNS}
        return {c: (FAST_JSON_TYPES.get(c, "VARCHAR") if fast else "VARCHAR") for c in RECORD_COLUMNS}

    def lines_before_data(self) -> int:
        """Lines of a CSV before its first record: the header, and the lines a profile skips under it."""
        return 1 + (self.profile.skip_rows if self.profile is not None and self.compiled is not None else 0)

    def reader_sql(self, fast: bool = False, files: Sequence[Path] | None = None) -> str:
        """A FROM-clause table function over the file (or the given part files of a JSON array)."""
        if self.compiled is not None:
            return f"({self.compiled.select_sql})"
        if self.format == "parquet" and self.path.is_dir():  # the files hold every column: folders name none
            pattern = sql_literal(f"{self.path}/**/*.parquet")
            return f"read_parquet({pattern}, hive_partitioning = false, union_by_name = true)"
        if self.format == "parquet":
            return f"read_parquet({sql_literal(str(self.path))}, hive_partitioning = false)"
        if self.format == "csv":
            return csv_reader_sql(self.path, self.columns, self.delimiter)
        cols = _struct_sql(self.source_types(fast).items())
        # a folder named like column=value on the way to a file is no column of it
        common = f"columns={cols}, maximum_object_size={MAX_OBJECT_BYTES}, hive_partitioning = false"
        if self.format == "ndjson":
            return f"read_json({sql_literal(str(self.path))}, format='newline_delimited', {common})"
        listed = "[" + ", ".join(sql_literal(str(p)) for p in files or [self.path]) + "]"
        return f"read_json({listed}, format='array', {common})"



def _struct_sql(pairs: Sequence[tuple[str, str]] | object) -> str:
    return "{" + ", ".join(f"{sql_literal(name)}: {sql_literal(kind)}" for name, kind in pairs) + "}"  # type: ignore[union-attr]


def detect(path: Path) -> Source:
    """Recognise ``path``'s format by content, falling back on its extension; raise SourceError."""
    if not path.exists():
        raise SourceError(f"{path}: no such file")
    if path.is_dir():
        return _folder(path)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # opening a FIFO would wait for a writer; reading would take bytes
            raise SourceError(f"{path}: a pipe or device: it is read once, whole, when the import starts")
        with path.open("rb") as handle:
            head = handle.read(_SNIFF_BYTES)
    except OSError as exc:
        raise SourceError(f"{path}: cannot be read ({exc.strerror})") from exc
    size = info.st_size
    by_ext = _EXTENSIONS.get(path.suffix.lower())
    if not head.strip():
        raise SourceError(f"{path}: the file is empty")
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or _looks_utf16(head[:4096]):
        raise SourceError(f"{path}: UTF-16 text; save it as UTF-8 (e.g. iconv -f UTF-16 -t UTF-8)")
    if head[:4] == b"PAR1":
        return Source(path, "parquet", "content (Parquet magic)", size)
    if head[:2] == b"\x1f\x8b":
        raise SourceError(f"{path}: gzip-compressed; decompress it first (gunzip)")
    if b"\x00" in head[:4096]:
        raise SourceError(f"{path}: binary content, not JSON, NDJSON, CSV or Parquet")
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text[:1] == b"[":
        return Source(path, "json", "content (JSON array)", size)
    if text[:1] == b"{":
        if _DATA_KEY.match(text) or (by_ext == "json" and not _first_line_is_object(text)):
            return Source(path, "json", "content (JSON API response)", size)
        return Source(path, "ndjson", "content (one JSON object per line)", size)
    if by_ext in ("json", "ndjson"):
        raise SourceError(f"{path}: not JSON: the content starts with {text[:20]!r}")
    return Source(path, "csv", "content (delimited text)" if by_ext != "csv" else "extension .csv", size)


def _folder(path: Path) -> Source:
    """A folder of Parquet files (a hive-partitioned dataset such as ``wellprod export --parquet`` writes),
    read as one file; never an Iceberg or Delta table's folder, whose files include replaced ones."""
    if (path / "metadata").is_dir() and any((path / "metadata").glob("*.metadata.json")):
        raise SourceError(f"{path}: an Iceberg table's folder: its files include replaced ones, so reading them "
                          "as plain Parquet would count rows twice; read the table through its catalog")
    if (path / "_delta_log").is_dir():
        raise SourceError(f"{path}: a Delta table's folder: its files include replaced ones, so reading them as "
                          "plain Parquet would count rows twice; read the table through Delta")
    files = dataset_files(path)
    if not files:
        raise SourceError(f"{path}: a folder with no .parquet file; give a file, or a folder of Parquet files")
    size = sum(p.stat().st_size for _, p in files)
    return Source(path, "parquet", f"a folder of {len(files):,} Parquet files", size)


def _looks_utf16(head: bytes) -> bool:
    """Text in UTF-16 without a byte-order mark: nearly every other byte is zero (ASCII-range text)."""
    half = len(head) // 2
    return half >= 8 and max(head[0::2].count(0), head[1::2].count(0)) > 0.9 * half


def _first_line_is_object(text: bytes) -> bool:
    line = text.split(b"\n", 1)[0].strip()
    return line.endswith(b"}") and b"\n" in text


def prepare(source: Source, con: Connection, parts: int = 8) -> Source:
    """Make the source readable: read a CSV header or a Parquet schema, or find where a JSON document's
    records lie; name the columns the file has beyond the record and those it lacks."""
    if source.profile_name and source.format != "csv":
        raise SourceError(f"{source.path}: profiles read delimited text (CSV), not {source.format}")
    if source.format == "csv":
        _read_csv_header(source)
    elif source.format == "parquet":
        _read_parquet_schema(source, con)
    elif source.format == "json":
        with source.path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as view:
            try:
                start, end = records_span(view)
            except LayoutError as exc:
                raise SourceError(f"{source.path}: {exc}") from exc
            source.spans = split_spans(view, start, end, parts)
    if source.format in ("json", "ndjson"):
        source.ignored_columns = _extra_json_keys(source)
    return source


def _read_parquet_schema(source: Source, con: Connection) -> None:
    described = con.execute(f"DESCRIBE SELECT * FROM {source.reader_sql()}").fetchall()
    source.column_types = {r[0]: r[1] for r in described}
    names = list(source.column_types)
    missing = [c for c in KEY_COLUMNS if c not in names]
    if missing:
        raise SourceError(f"{source.path}: the Parquet file has no column {', '.join(missing)}")
    source.columns = tuple(names)
    source.ignored_columns = tuple(n for n in names if n not in RECORD_COLUMNS)
    source.missing_columns = tuple(c for c in RECORD_COLUMNS if c not in names)


def _extra_json_keys(source: Source, sample: int = 100) -> tuple[str, ...]:
    """Keys of the first records that are not record columns (the reader drops them silently)."""
    with source.path.open("rb") as handle:
        text = handle.read(_SNIFF_BYTES).decode("utf-8", errors="ignore")
    decoder = json.JSONDecoder()
    keys: dict[str, None] = {}
    records: Iterator[object]
    if source.format == "ndjson":
        records = (_loads_or_none(line) for line in text.splitlines()[:sample])
    else:
        start = text.find("[", text.find('"data"') + 1 if text.lstrip("\ufeff \t\r\n")[:1] == "{" else 0)
        records = _json_array_head(decoder, text, start + 1, sample) if start >= 0 else iter(())
    for item in records:
        if isinstance(item, dict):
            keys.update(dict.fromkeys(k for k in item if k not in RECORD_COLUMNS))
    return tuple(keys)


def _loads_or_none(line: str) -> object:
    try:
        return json.loads(line)
    except (ValueError, RecursionError):
        return None


def _json_array_head(decoder: json.JSONDecoder, text: str, pos: int, sample: int) -> Iterator[object]:
    """The first ``sample`` complete values of a JSON array starting at ``pos`` (the head may end mid-value)."""
    for _ in range(sample):
        while pos < len(text) and text[pos] in " \t\r\n,":
            pos += 1
        try:
            value, pos = decoder.raw_decode(text, pos)
        except (ValueError, RecursionError):  # the head ends mid-value, or a value nests too deep to sample
            return
        yield value


def _read_csv_header(source: Source) -> None:
    with source.path.open("rb") as handle:
        raw = handle.readline(1 << 20)
    if b"\r" in raw.rstrip(b"\r\n"):
        raise SourceError(
            f"{source.path}: lines end with a carriage return only (old Mac text); save it with LF or CRLF "
            "line ends (e.g. tr '\\r' '\\n')"
        )
    try:
        line = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(f"{source.path}: line 1: the header is not UTF-8 text") from exc
    delimiter = max(",;\t|", key=line.count)
    names = next(csv.reader(io.StringIO(line), delimiter=delimiter), [])
    names = [n.strip() for n in names]
    if not any(names):
        raise SourceError(f"{source.path}: line 1: no header row")
    folded = [n.casefold() for n in names]
    repeated = sorted({n for n, f in zip(names, folded, strict=True) if n and folded.count(f) > 1})
    if repeated:
        raise SourceError(
            f"{source.path}: line 1: the header names {', '.join(repeated)} more than once (column names are "
            "read without regard to case); which column is meant? Rename or remove one. Nothing imported."
        )
    missing = [c for c in KEY_COLUMNS if c not in names]
    if source.profile_name or missing:
        source.profile = _profile_for(source, names)
    if source.profile is not None:
        _use_profile(source, source.profile, names, delimiter)
        return
    if missing:
        raise SourceError(
            f"{source.path}: line 1: the header has no column {', '.join(missing)} "
            f"(found: {', '.join(names[:12])}{', …' if len(names) > 12 else ''}). wellprod imports monthly "
            "records per well with the columns README's 'The record' lists (well_code, production_period, …), "
            "or a foreign layout through a profile (--profile NAME; `wellprod profiles` lists them)"
        )
    seen: set[str] = set()
    unique = []
    for i, name in enumerate(names):
        unique.append(name if name and name not in seen else f"__ignored_{i}")
        seen.add(name)
    source.delimiter = delimiter
    source.columns = tuple(unique)
    source.ignored_columns = tuple(n for n in names if n not in RECORD_COLUMNS)
    source.missing_columns = tuple(c for c in RECORD_COLUMNS if c not in names)


def _profile_for(source: Source, header: list[str]) -> profiles.Profile | None:
    """The profile asked for, or the one whose identifying columns the header has."""
    try:
        known = profiles.available(source.profiles_dir)
        if source.profile_name:
            source.detected_by = f"--profile {source.profile_name}"
            return profiles.find(source.profile_name, known)
        found = profiles.detect(header, known)
    except profiles.ProfileError as exc:
        raise SourceError(f"{source.path}: {exc}") from exc
    if found is not None:
        source.detected_by = f"header matches profile {found.name}"
    return found


def _use_profile(source: Source, profile: profiles.Profile, names: list[str], delimiter: str) -> None:
    lacking = [c for c in profile.source_columns() if c not in names]
    if lacking:
        raise SourceError(
            f"{source.path}: line 1: profile {profile.name} ({profile.path}) reads column(s) "
            f"{', '.join(repr(c) for c in lacking)}, which the header lacks (found: {', '.join(names[:12])})"
        )
    unique = [n if n and n not in names[:i] else f"__ignored_{i}" for i, n in enumerate(names)]
    source.delimiter = delimiter
    source.columns = tuple(unique)
    source.ignored_columns = ()  # a profile names what it reads
    source.missing_columns = tuple(c for c in RECORD_COLUMNS if c not in profile.fields)
    if profile.duplicates and not source.duplicates_chosen:  # the profile knows its layout repeats months
        source.duplicates = profile.duplicates
    source.compiled = compile_profile(profile, source.path, source.columns, delimiter, source.duplicates)
