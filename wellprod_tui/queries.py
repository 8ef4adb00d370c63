"""Every question the screens and the CLI ask, asked once: stats, wells, fields, search and top lists.

A ``View`` is a named query over the whole result; screens read it a page at a time and the exporter
writes all of it, so what is exported is exactly what is on screen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from wellprod_tui.domain import (
    RECORD_COLUMNS,
    difference_pct,
    gor_scf_bbl,
    volume,
    water_cut,
    whole_number_text,
)
from wellprod_tui.store import Connection, database_path, records, rows, scalar


@dataclass(frozen=True)
class View:
    """A whole query result with a name that says its scope (used in export file names)."""

    name: str
    sql: str
    params: tuple[Any, ...] = ()
    text_columns: tuple[str, ...] = field(default=())
    #: The same rows without ORDER BY, for when the table already lies in that order (faster exports).
    unordered_sql: str = ""


@dataclass(frozen=True)
class Page:
    """Some rows of a view, and how many it has in all."""

    columns: list[str]
    rows: list[tuple[Any, ...]]
    offset: int
    total: int


class NotFound(LookupError):
    """No well or field with that code."""


def read_page(con: Connection, view: View, offset: int = 0, limit: int = 500) -> Page:
    """Rows ``offset``..``offset+limit`` of a view, with its total row count."""
    total = scalar(con, f"SELECT count(*) FROM ({view.sql})", list(view.params))
    names, data = rows(con, f"SELECT * FROM ({view.sql}) LIMIT ? OFFSET ?", [*view.params, limit, offset])
    return Page(names, data, offset, total)


def read_all(con: Connection, view: View) -> tuple[list[str], list[tuple[Any, ...]]]:
    """All rows of a small view (a well's history, a field's wells)."""
    return rows(con, view.sql, list(view.params))


# ---- stats ---------------------------------------------------------------------------------------


def record_count(con: Connection) -> int:
    """How many records the database holds."""
    return int(scalar(con, "SELECT count(*) FROM production"))


def stats(con: Connection) -> dict[str, Any]:
    """Records, wells, fields, periods, total volumes, database path and size, last import. Volumes count a
    field's wells, and its field-level rows only in months without wells (never both); ``fields_with_both``
    counts the fields that hold both (``allocation_view`` lists them)."""
    records_n = scalar(con, "SELECT count(*) FROM production")
    row = records(
        con,
        """SELECT (SELECT count(*) FROM well_summary) AS wells, count(field_code) AS fields,
                  min(first_period) AS first_period, max(last_period) AS last_period,
                  sum(oil_kbbl) AS oil_kbbl, sum(gas_mmcf) AS gas_mmcf,
                  sum(water_kbbl) AS water_kbbl, sum(liquids_kbbl) AS liquids_kbbl,
                  count(*) FILTER (WHERE months_both > 0) AS fields_with_both
           FROM field_summary""",
    )[0]
    path = database_path(con)
    last = records(
        con,
        """SELECT id, file, format, status, finished_at, records, inserted, updated, unchanged, rejected,
                  warnings FROM imports ORDER BY id DESC LIMIT 1""",
    )
    completed = scalar(con, "SELECT count(*) FROM imports WHERE status = 'completed'")
    return {
        "records": records_n,
        **row,
        "first_period": _month(row["first_period"]),
        "last_period": _month(row["last_period"]),
        "database": str(path),
        "database_bytes": _file_size(path),
        "imports": completed,
        "last_import": last[0] if last else None,
    }


def _month(value: date | None) -> str | None:
    return None if value is None else value.strftime("%Y-%m")


def _file_size(path: Path) -> int:
    try:
        size = path.stat().st_size
    except OSError:
        return 0
    wal = path.with_name(path.name + ".wal")
    return size + (wal.stat().st_size if wal.exists() else 0)


def last_import_id(con: Connection) -> int:
    """The id of the newest row of the import log (0 when empty)."""
    return int(scalar(con, "SELECT coalesce(max(id), 0) FROM imports"))


def completed_imports_since(con: Connection, after_id: int) -> list[dict[str, Any]]:
    """Completed imports logged after ``after_id``, oldest first, with the process that ran each (when known)."""
    return records(
        con,
        "SELECT * FROM imports WHERE id > ? AND status = 'completed' ORDER BY id",
        [after_id],
    )


def imports_view() -> View:
    """The import log, newest first."""
    return View(
        "imports",
        """SELECT id, strftime(started_at, '%Y-%m-%d %H:%M:%S') AS started, status, format, file, records,
                  inserted, updated, unchanged, rejected, warnings, round(epoch(finished_at - started_at), 2)
                  AS seconds, rejects_file, message
           FROM imports ORDER BY id DESC""",
        text_columns=("file", "rejects_file", "message"),
    )


def total_monthly_view() -> View:
    """Total monthly oil, gas and water of the whole database."""
    return View(
        "monthly-totals",
        """SELECT strftime(production_period, '%Y-%m') AS period, sum(oil_kbd) AS oil_kbd,
                  sum(gas_mmcfd) AS gas_mmcfd, sum(water_kbd) AS water_kbd, sum(oil_kbbl) AS oil_kbbl,
                  sum(gas_mmcf) AS gas_mmcf, sum(water_kbbl) AS water_kbbl,
                  sum(producing_wells) AS producing_wells
           FROM field_monthly GROUP BY production_period ORDER BY production_period""",
    )


def top_wells_view(limit: int = 10) -> View:
    """Wells by cumulative oil, largest first."""
    return View(
        "top-wells",
        f"""SELECT well_code, well_name, field_name, oil_kbbl AS cum_oil_kbbl, last_oil_kbd,
                   strftime(last_period, '%Y-%m') AS last_period
            FROM well_summary ORDER BY oil_kbbl DESC NULLS LAST, well_code LIMIT {int(limit)}""",
        text_columns=("well_name", "field_name"),
    )


def top_fields_view(limit: int = 10) -> View:
    """Fields by cumulative oil, largest first."""
    return View(
        "top-fields",
        f"""SELECT field_code, field_name, wells, oil_kbbl AS cum_oil_kbbl, gas_mmcf AS cum_gas_mmcf
            FROM field_summary WHERE field_code IS NOT NULL
            ORDER BY cum_oil_kbbl DESC NULLS LAST, field_code LIMIT {int(limit)}""",
        text_columns=("field_name",),
    )


def all_records_view() -> View:
    """Every record, in the seed's columns and order, then created_at and updated_at."""
    columns = []
    for name in RECORD_COLUMNS:
        if name == "production_period":
            columns.append("strftime(production_period, '%Y-%m') AS production_period")
        elif name == "days_on_production":
            columns.append(f"{whole_number_text(name)} AS {name}")
        else:
            columns.append(name)
    columns += ["created_at", "updated_at"]
    unordered = f"SELECT {', '.join(columns)} FROM production"
    return View(
        "all-records",
        f"{unordered} ORDER BY well_code, production_period",
        text_columns=("field_name", "well_reference", "well_name", "data_source", "source_data", "partition_0"),
        unordered_sql=unordered,
    )


# ---- wells -----------------------------------------------------------------------------------------


def well(con: Connection, code: int) -> dict[str, Any]:
    """A well's identity, periods, cumulative volumes, last rates, water cut and GOR; NotFound if none."""
    found = records(
        con,
        f"""SELECT well_code, well_name, well_reference, field_code, field_name,
                   strftime(first_period, '%Y-%m') AS first_period, strftime(last_period, '%Y-%m') AS last_period,
                   months, oil_kbbl AS cum_oil_kbbl, gas_mmcf AS cum_gas_mmcf, water_kbbl AS cum_water_kbbl,
                   last_oil_kbd, last_gas_mmcfd, last_water_kbd,
                   {water_cut("last_oil_kbd", "last_water_kbd")} AS last_water_cut,
                   {gor_scf_bbl("last_gas_mmcfd", "last_oil_kbd")} AS last_gor_scf_bbl
            FROM well_summary WHERE well_code = ?""",
        [int(code)],
    )
    if not found:
        raise NotFound(f"no well with code {code}")
    return found[0]


def well_history_view(code: int, newest_first: bool = False) -> View:
    """A well's monthly history: rates, volumes, water cut, GOR and cumulative volumes (oldest first)."""
    return View(
        f"well-{int(code)}",
        f"""SELECT {int(code)} AS well_code, strftime(production_period, '%Y-%m') AS period,
                   days_on_production AS days,
                   oil_production_kbd AS oil_kbd, gas_production_mmcfd AS gas_mmcfd,
                   water_production_kbd AS water_kbd, liquids_production_kbd AS liquids_kbd,
                   {water_cut("oil_production_kbd", "water_production_kbd")} AS water_cut,
                   {gor_scf_bbl("gas_production_mmcfd", "oil_production_kbd")} AS gor_scf_bbl,
                   {volume("oil_production_kbd")} AS oil_kbbl, {volume("gas_production_mmcfd")} AS gas_mmcf,
                   {volume("water_production_kbd")} AS water_kbbl,
                   sum({volume("oil_production_kbd")}) OVER w AS cum_oil_kbbl,
                   sum({volume("gas_production_mmcfd")}) OVER w AS cum_gas_mmcf,
                   sum({volume("water_production_kbd")}) OVER w AS cum_water_kbbl
            FROM production WHERE well_code = ?
            WINDOW w AS (ORDER BY production_period ROWS UNBOUNDED PRECEDING)
            ORDER BY production_period {"DESC" if newest_first else "ASC"}""",
        (int(code),),
    )


def folded(sql: str) -> str:
    """SQL folding case and accents: ``ÆSIR`` -> ``aesir``, ``Ødegaard`` -> ``odegaard``, ``Åsgard`` -> ``asgard``.

    strip_accents does not decompose æ, ø, œ or ß (they are letters, not accented ones), so they are spelled out.
    """
    lowered = f"lower({sql})"
    for letter, spelled in (("æ", "ae"), ("ø", "o"), ("œ", "oe"), ("ß", "ss"), ("đ", "d"), ("ł", "l")):
        lowered = f"replace({lowered}, '{letter}', '{spelled}')"
    return f"strip_accents({lowered})"


def search_wells(con: Connection, text: str, limit: int = 50) -> list[dict[str, Any]]:
    """Wells whose code, name or reference contains ``text`` (case and accents folded), exact code first."""
    pattern = f"%{_escape_like(text.strip())}%"
    return records(
        con,
        f"""SELECT well_code, well_name, well_reference, field_name,
                  strftime(last_period, '%Y-%m') AS last_period
           FROM well_summary
           WHERE CAST(well_code AS VARCHAR) LIKE $1 ESCAPE '\\' OR {folded("well_name")} LIKE {folded("$1")} ESCAPE '\\'
                 OR {folded("well_reference")} LIKE {folded("$1")} ESCAPE '\\'
           ORDER BY CAST(well_code AS VARCHAR) <> $2, well_code LIMIT $3""",
        [pattern, text.strip(), limit],
    )


def search_count(con: Connection, kind: str, text: str) -> int:
    """How many wells (``kind`` "well") or fields match ``text``, for "showing 50 of N"."""
    search = search_wells if kind == "well" else search_fields
    return len(search(con, text, 1_000_000_000))


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# ---- fields ----------------------------------------------------------------------------------------


#: What a field's figures say about its field-level rows beside its wells (NULL where it has not both).
_ALLOCATION = ", ".join(
    f"reported_{k}_{u}, wells_{k}_{u}, {difference_pct(f'reported_{k}_{u}', f'wells_{k}_{u}')} AS {k}_difference_pct"
    for k, u in (("oil", "kbbl"), ("gas", "mmcf"), ("water", "kbbl"))
)


def field_info(con: Connection, code: int) -> dict[str, Any]:
    """A field's identity, well count, periods and cumulative volumes (its wells' sum, and its field-level
    rows in months without wells); where both exist, the reported totals, the wells' sum and the
    difference in % over those months (``months_both``); NotFound if none."""
    found = records(
        con,
        f"""SELECT field_code, field_name, wells,
                   strftime(first_period, '%Y-%m') AS first_period, strftime(last_period, '%Y-%m') AS last_period,
                   oil_kbbl AS cum_oil_kbbl, gas_mmcf AS cum_gas_mmcf, water_kbbl AS cum_water_kbbl,
                   liquids_kbbl AS cum_liquids_kbbl, months_reported_only, months_both, {_ALLOCATION}
            FROM field_summary WHERE field_code = ?""",
        [int(code)],
    )
    if not found:
        raise NotFound(f"no field with code {code}")
    return found[0]


def allocation_view() -> View:
    """Fields that hold both field-level rows and wells: over the months with both, the reported totals, the
    wells' sum and the difference in % of the reported, largest oil difference first."""
    return View(
        "field-allocation",
        f"""SELECT field_code, field_name, wells, months_both, {_ALLOCATION}
            FROM field_summary WHERE months_both > 0
            ORDER BY abs(oil_difference_pct) DESC NULLS LAST, field_code""",
        text_columns=("field_name",),
    )


#: A field's well columns, in the order shown: what matters most first, so that 80 columns show it.
FIELD_WELL_COLUMNS = (
    "well_code",
    "well_name",
    "cum_oil_kbbl",
    "last_oil_kbd",
    "water_cut",
    "last_period",
    "first_period",
    "cum_gas_mmcf",
    "cum_water_kbbl",
    "well_reference",
)


def field_wells_view(
    code: int, order_by: str = "cum_oil_kbbl", descending: bool = True, name: str = "", active_only: bool = False
) -> View:
    """A field's wells (columns as FIELD_WELL_COLUMNS); ``name`` filters by name or reference (folded),
    ``active_only`` keeps the wells that produced in the database's last month."""
    if order_by not in FIELD_WELL_COLUMNS:
        raise ValueError(f"cannot sort by {order_by!r}")
    direction = "DESC" if descending else "ASC"
    where, params = ["field_code = ?"], list[Any]([int(code)])
    if name.strip():
        pattern = f"%{_escape_like(name.strip())}%"
        where.append(
            f"({folded('well_name')} LIKE {folded('?')} ESCAPE '\\' "
            f"OR {folded('well_reference')} LIKE {folded('?')} ESCAPE '\\')"
        )
        params += [pattern, pattern]
    if active_only:
        where.append("last_period = (SELECT max(last_period) FROM well_summary)")
    scope = ("-" + "-".join(w for w in (name.strip() and "filtered", active_only and "active") if w)).rstrip("-")
    return View(
        f"field-{int(code)}-wells{scope}",
        f"""SELECT * FROM (
                SELECT well_code, well_name, oil_kbbl AS cum_oil_kbbl, last_oil_kbd,
                       {water_cut("last_oil_kbd", "last_water_kbd")} AS water_cut,
                       strftime(last_period, '%Y-%m') AS last_period,
                       strftime(first_period, '%Y-%m') AS first_period,
                       gas_mmcf AS cum_gas_mmcf, water_kbbl AS cum_water_kbbl, well_reference
                FROM field_wells WHERE {" AND ".join(where)} AND NOT field_level)
            ORDER BY {order_by} {direction} NULLS LAST, well_code""",
        tuple(params),
        text_columns=("well_name", "well_reference"),
    )


def field_monthly_view(code: int) -> View:
    """A field's monthly totals: rates, volumes, water cut, GOR, producing wells, cumulative oil; ``basis``
    says whether a month counts its wells or its field-level row, and where both exist, the reported oil,
    the wells' sum and the difference in %."""
    return View(
        f"field-{int(code)}-monthly",
        f"""SELECT strftime(production_period, '%Y-%m') AS period, oil_kbd, gas_mmcfd, water_kbd, liquids_kbd,
                   oil_kbbl, gas_mmcf, water_kbbl, {water_cut("oil_kbd", "water_kbd")} AS water_cut,
                   {gor_scf_bbl("gas_mmcfd", "oil_kbd")} AS gor_scf_bbl, producing_wells,
                   sum(oil_kbbl) OVER (ORDER BY production_period ROWS UNBOUNDED PRECEDING) AS cum_oil_kbbl,
                   basis, reported_oil_kbbl, wells_oil_kbbl,
                   {difference_pct("reported_oil_kbbl", "wells_oil_kbbl")} AS oil_difference_pct
            FROM field_monthly WHERE field_code = ? ORDER BY production_period""",
        (int(code),),
    )


def search_fields(con: Connection, text: str, limit: int = 50) -> list[dict[str, Any]]:
    """Fields whose code or name contains ``text`` (case and accents folded), exact code first."""
    pattern = f"%{_escape_like(text.strip())}%"
    return records(
        con,
        f"""SELECT field_code, field_name, wells FROM field_summary
           WHERE CAST(field_code AS VARCHAR) LIKE $1 ESCAPE '\\'
                 OR {folded("field_name")} LIKE {folded("$1")} ESCAPE '\\'
           ORDER BY CAST(field_code AS VARCHAR) <> $2, field_code LIMIT $3""",
        [pattern, text.strip(), limit],
    )


def is_field(con: Connection, code: int) -> bool:
    """Whether ``code`` is a field's code."""
    return bool(scalar(con, "SELECT count(*) > 0 FROM field_wells WHERE field_code = ?", [int(code)]))


def field_well_codes(con: Connection, code: int) -> list[int]:
    """A field's well codes in the Field screen's default order (cumulative oil, largest first)."""
    return [
        int(r[0])
        for r in con.execute(
            "SELECT well_code FROM field_wells WHERE field_code = ? AND NOT field_level "
            "ORDER BY oil_kbbl DESC NULLS LAST, well_code",
            [int(code)],
        ).fetchall()
    ]


# ---- decline curves --------------------------------------------------------------------------------

#: The calendar-day rate column of each phase a decline can be fitted to.
DECLINE_PHASE_COLUMNS = {"oil": "oil_production_kbd", "gas": "gas_production_mmcfd", "water": "water_production_kbd"}


def decline_history(con: Connection, phase: str, well_code: int | None = None, field_code: int | None = None
                    ) -> dict[str, Any]:
    """Monthly rows for decline fits as numpy arrays, by well then month: well_code, month (year*12 + month - 1),
    days (on production) and rate (the phase's calendar-day rate); NULL days and rates are NaN."""
    column = DECLINE_PHASE_COLUMNS[phase]
    where, params = ("well_code = ?", [int(well_code)]) if well_code is not None else ("field_code = ?",
                                                                                        [int(field_code or 0)])
    return con.execute(
        f"""SELECT well_code, CAST(year(production_period) * 12 + month(production_period) - 1 AS BIGINT) AS month,
                   coalesce(days_on_production, 'NaN'::DOUBLE) AS days, coalesce({column}, 'NaN'::DOUBLE) AS rate
            FROM production WHERE {where} ORDER BY well_code, production_period""",
        params,
    ).fetchnumpy()


def forecast_view(name: str, rate_unit: str, volume_unit: str, months: list[tuple[str, float, float, float]]) -> View:
    """A monthly forecast (month, rate, volume, cumulative) as a view, so it exports like any other."""
    rate, volume = rate_unit.lower(), volume_unit.lower()
    return View(
        name,
        f"""SELECT unnest(?::VARCHAR[]) AS month, unnest(?::DOUBLE[]) AS rate_{rate},
                   unnest(?::DOUBLE[]) AS volume_{volume}, unnest(?::DOUBLE[]) AS cumulative_{volume}""",
        tuple([row[i] for row in months] for i in range(4)),
    )
