"""Importing a well header file: one row per well with its code or API number and its attributes (operator,
formation, county, status, dates, location, lateral length, depths), the file's other columns kept as text
attributes. A header is keyed by ``core.api_numbers.header_key`` (the sidetracks of one API-10 share it) and
replaces the one stored for its key (upsert). Set-based: DuckDB reads, types and writes; no per-row Python.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from wellprod_tui.core.api_numbers import header_key_sql
from wellprod_tui.core.sql_text import sql_identifier, sql_literal
from wellprod_tui.importing.read_errors import csv_reader_sql
from wellprod_tui.importing.report import ImportFailed
from wellprod_tui.importing.validation import number_of_text
from wellprod_tui.storage import schema
from wellprod_tui.storage.connection import Connection, scalar

_DATES = ("spud_date", "completion_date", "first_production")
_NUMBERS = ("latitude", "longitude", "lateral_length_ft", "md_ft", "tvd_ft")
#: The typed header columns a file may fill (header_code, import_id and updated_at are the store's).
HEADER_COLUMNS = tuple(c for c in schema.WELL_HEADER_TYPES if c not in ("header_code", "import_id", "updated_at"))
#: Date spellings a header's dates may have (ECMC writes M/D/YYYY).
DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%Y/%m/%d", "%Y-%m", "%Y%m%d")


@dataclass(frozen=True)
class HeaderProfile:
    """How a header file's columns become a header: the code (a column of digits or an API number with
    dashes, or a template), the typed columns, constants; every other column is kept as a text attribute."""

    name: str
    description: str
    #: Columns whose presence identifies the layout.
    detect: tuple[str, ...]
    #: SQL over the row ``r`` (text columns) giving the code's digits.
    code_sql: str
    columns: dict[str, str] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)


def _col(name: str) -> str:
    return f"NULLIF(trim(r.{sql_identifier(name)}), '')"


#: ECMC's well list (API_Label 05-123-33945, API_County, Operator, Facil_Stat, Spud_Date M/D/YYYY, …). It
#: names no well: the location's name (Loc_Name, a pad or the well) stands for it.
ECMC_HEADERS = HeaderProfile(
    name="ecmc-well-headers",
    description="Colorado ECMC well list: API_Label, Operator, Field_Code, Facil_Stat, Spud_Date, lateral length",
    detect=("API_Label", "API_County", "API_Seq", "Operator", "Facil_Stat"),
    code_sql=_col("API_Label"),
    columns={
        "well_name": "Loc_Name", "operator": "Operator", "field": "Field_Code", "county": "API_County",
        "status": "Facil_Stat", "well_class": "Well_Class", "spud_date": "Spud_Date", "latitude": "lat_shl",
        "longitude": "long_shl", "lateral_length_ft": "lateral_length_ft", "md_ft": "MD", "tvd_ft": "TVD",
    },
    constants={"state": "05"},
)
#: The code columns a header file of wellprod's own layout may have, in the order they are looked for.
CODE_COLUMNS = ("well_code", "api", "api_number", "api14", "api12", "api10", "uwi")
PROFILES = {ECMC_HEADERS.name: ECMC_HEADERS}


def own_layout(header: tuple[str, ...]) -> HeaderProfile:
    """The profile of a file whose columns are named as wellprod's: a code column (``well_code``, ``api``,
    ``uwi``, …) and any of the header's columns (``operator``, ``lateral_length_ft``, …), case ignored."""
    by_name = {c.lower().strip(): c for c in header}
    code = next((by_name[c] for c in CODE_COLUMNS if c in by_name), None)
    if code is None:
        raise ImportFailed(f"the header file has no code column (one of {', '.join(CODE_COLUMNS)}); "
                           f"its columns: {', '.join(header[:20])}")
    return HeaderProfile("own", "wellprod's own column names", (code,), _col(code),
                         {c: by_name[c] for c in HEADER_COLUMNS if c in by_name})


@dataclass(frozen=True)
class HeadersImported:
    """What a header import did."""

    file: str
    profile: str
    rows: int
    headers: int
    inserted: int
    updated: int
    wells_matched: int
    notes: tuple[str, ...]


def read_header_line(path: Path) -> tuple[tuple[str, ...], str]:
    """The file's column names and delimiter (comma, semicolon or tab, whichever the first line has most)."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            first = handle.readline()
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportFailed(f"{path}: cannot be read ({exc})") from exc
    delimiter = max((",", ";", "\t"), key=first.count)
    names = next(csv.reader([first], delimiter=delimiter), [])
    if not names or not any(n.strip() for n in names):
        raise ImportFailed(f"{path}: no header line (a header file starts with its column names)")
    return tuple(names), delimiter


def import_headers(con: Connection, path: Path, profile_name: str | None = None) -> HeadersImported:
    """Read ``path`` and upsert its headers in one transaction; the derived tables are rebuilt so that well
    names come from the headers. ImportFailed names the file and what is wrong."""
    columns, delimiter = read_header_line(path)
    if profile_name is not None and profile_name not in (*PROFILES, "own"):
        raise ImportFailed(f"no header profile called {profile_name!r} (known: {', '.join(PROFILES)}, own)")
    profile = PROFILES.get(profile_name or "") or next(
        (p for p in PROFILES.values() if profile_name is None and set(p.detect) <= set(columns)), None
    ) or own_layout(columns)
    missing = [c for c in profile.columns.values() if c not in columns]
    if missing:
        raise ImportFailed(f"{path}: profile {profile.name} reads column(s) the file lacks: {', '.join(missing)}")
    con.execute("BEGIN TRANSACTION")
    try:
        imported = _import(con, path, columns, delimiter, profile)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return imported


def _typed(name: str, raw: str) -> str:
    if name in _DATES:
        formats = "[" + ", ".join(sql_literal(f) for f in DATE_FORMATS) + "]"
        return f"CAST(try_strptime({raw}, {formats}) AS DATE)"
    if name in _NUMBERS:
        return number_of_text(raw)
    return raw


def _import(con: Connection, path: Path, columns: tuple[str, ...], delimiter: str, p: HeaderProfile) -> HeadersImported:
    reader = csv_reader_sql(path, columns, delimiter)
    digits = f"regexp_replace({p.code_sql}, '[-\\s]', '', 'g')"
    code = f"CASE WHEN regexp_full_match({digits}, '\\d{{1,14}}') THEN CAST({digits} AS BIGINT) END"
    raw = {name: _col(column) for name, column in p.columns.items()} | {
        name: sql_literal(value) for name, value in p.constants.items()}
    con.execute(f"""CREATE OR REPLACE TEMP TABLE header_rows AS
        SELECT {header_key_sql(f"({code})")} AS header_code, row_number() OVER () AS __row, r.*
        FROM {reader} r""")
    rows = int(scalar(con, "SELECT count(*) FROM header_rows"))
    no_code = int(scalar(con, "SELECT count(*) FROM header_rows WHERE header_code IS NULL"))
    notes: list[str] = []
    if rows and no_code == rows:
        raise ImportFailed(f"{path}: no row has a well code or API number in {', '.join(p.detect[:1])}")
    if no_code:
        notes.append(f"{no_code:,} row(s) without a well code or API number left out")
    typed = ", ".join(f"{_typed(n, raw[n])} AS {n}" if n in raw else f"NULL AS {n}" for n in HEADER_COLUMNS)
    con.execute(f"""CREATE OR REPLACE TEMP TABLE header_new AS
        SELECT header_code, {typed}, __row FROM header_rows r WHERE header_code IS NOT NULL
        QUALIFY __row = max(__row) OVER (PARTITION BY header_code)""")
    for name in (n for n in raw if n in _DATES + _NUMBERS and n not in p.constants):
        bad = scalar(con, f"""SELECT count(*) FROM header_rows r JOIN header_new n USING (__row)
                              WHERE {raw[name]} IS NOT NULL AND n.{name} IS NULL""")
        if bad:
            example = scalar(con, f"""SELECT any_value({raw[name]}) FROM header_rows r JOIN header_new n USING (__row)
                                      WHERE {raw[name]} IS NOT NULL AND n.{name} IS NULL""")
            kind = "a date" if name in _DATES else "a number"
            notes.append(f"{name} ({p.columns[name]}): {bad:,} value(s) not {kind} (e.g. {example!r}) left empty")
    headers = int(scalar(con, "SELECT count(*) FROM header_new"))
    if headers < rows - no_code:
        notes.append(f"{rows - no_code - headers:,} row(s) repeating a header key (sidetracks of one API-10 "
                     "share a header): the last row of each kept")
    updated = int(scalar(con, "SELECT count(*) FROM well_headers WHERE header_code IN (SELECT header_code "
                              "FROM header_new)"))
    con.execute("DELETE FROM well_headers WHERE header_code IN (SELECT header_code FROM header_new)")
    con.execute("DELETE FROM well_header_attributes WHERE header_code IN (SELECT header_code FROM header_new)")
    con.execute(f"""INSERT INTO well_headers BY NAME SELECT header_code, {", ".join(HEADER_COLUMNS)},
                    current_localtimestamp() AS updated_at FROM header_new""")
    others = [c for c in columns if c not in p.columns.values()]
    if others:
        listed = ", ".join(f"r.{sql_identifier(c)}" for c in others)
        con.execute(f"""INSERT INTO well_header_attributes
            SELECT header_code, name, NULLIF(trim(value), '') FROM (
                UNPIVOT (SELECT r.header_code, {listed} FROM header_rows r SEMI JOIN header_new n USING (__row))
                ON {", ".join(sql_identifier(c) for c in others)} INTO NAME name VALUE value)""")
    schema.refresh_derived_tables(con)
    matched = int(scalar(con, f"""SELECT count(*) FROM well_summary s
        WHERE {header_key_sql('s.well_code')} IN (SELECT header_code FROM header_new)"""))
    if headers and not matched:
        notes.append("no imported well has these headers yet (they apply once its production is imported)")
    for table in ("header_rows", "header_new"):
        con.execute(f"DROP TABLE IF EXISTS {table}")
    return HeadersImported(str(path), p.name, rows, headers, headers - updated, updated, matched, tuple(notes))
