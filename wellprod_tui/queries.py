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
from wellprod_tui.schema import FIELD_TOTALS, WELL_FIGURES
from wellprod_tui.store import Connection, database_path, records, rows, scalar
from wellprod_tui.units import FIELD, UnitSystem
from wellprod_tui.window import ALL, Window


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


#: Stored volume columns of the derived tables, by phase.
_VOLUME_COLUMNS = {"oil": "oil_kbbl", "gas": "gas_mmcf", "water": "water_kbbl", "liquids": "liquids_kbbl"}
#: Stored calendar-day rate columns of field_monthly, by phase.
_RATE_COLUMNS = {"oil": "oil_kbd", "gas": "gas_mmcfd", "water": "water_kbd", "liquids": "liquids_kbd"}


def scope(units: UnitSystem = FIELD, window: Window = ALL) -> str:
    """What a view's name adds for its units and window: ``-metric-2022-01-2023-12`` (empty by default)."""
    return ("" if units is FIELD else f"-{units.name}") + window.slug


def stats(con: Connection, units: UnitSystem = FIELD, window: Window = ALL) -> dict[str, Any]:
    """Records, wells, fields, periods, total volumes, database path and size, last import. Volumes count a
    field's wells, and its field-level rows only in months without wells (never both); ``fields_with_both``
    counts the fields that hold both (``allocation_view`` lists them). In a window, volumes, periods and
    fields are the window's, wells those reporting across it; records and imports stay the database's."""
    records_n = scalar(con, "SELECT count(*) FROM production")
    volumes = ", ".join(units.column(f"sum({c})", p, "total", p) for p, c in _VOLUME_COLUMNS.items())
    if window.is_all:
        sql = f"""SELECT (SELECT count(*) FROM well_summary) AS wells, count(field_code) AS fields,
                  min(first_period) AS first_period, max(last_period) AS last_period, {volumes},
                  count(*) FILTER (WHERE months_both > 0) AS fields_with_both
           FROM field_summary"""
    else:
        sql = f"""SELECT (SELECT count(*) FROM well_summary WHERE {window.overlaps()}) AS wells,
                  count(DISTINCT field_code) AS fields,
                  min(production_period) AS first_period, max(production_period) AS last_period, {volumes},
                  (SELECT count(*) FROM field_summary WHERE months_both > 0) AS fields_with_both
           FROM field_monthly WHERE {window.where()}"""
    row = records(con, sql)[0]
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


def last_month(con: Connection) -> date | None:
    """The database's last month (first day), None when it holds no record."""
    value = scalar(con, "SELECT max(last_period) FROM field_summary")
    return value if isinstance(value, date) else None


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


def total_monthly_view(units: UnitSystem = FIELD, window: Window = ALL) -> View:
    """Total monthly oil, gas and water of the whole database (in a window: its months)."""
    phases = ("oil", "gas", "water")
    rates = ", ".join(units.column(f"sum({_RATE_COLUMNS[p]})", p, "rate", p) for p in phases)
    volumes = ", ".join(units.column(f"sum({_VOLUME_COLUMNS[p]})", p, "volume", p) for p in phases)
    where = "" if window.is_all else f"WHERE {window.where()} "
    return View(
        f"monthly-totals{scope(units, window)}",
        f"""SELECT strftime(production_period, '%Y-%m') AS period, {rates}, {volumes},
                  sum(producing_wells) AS producing_wells
           FROM field_monthly {where}GROUP BY production_period ORDER BY production_period""",
    )


def top_wells_view(limit: int = 10, units: UnitSystem = FIELD, window: Window = ALL) -> View:
    """Wells by cumulative oil, largest first (in a window: oil within it, read from the production rows)."""
    source = "well_summary"
    if not window.is_all:
        source = f"""(SELECT s.well_code, s.well_name, s.field_name, w.* EXCLUDE (well_code)
                      FROM (SELECT well_code, {WELL_FIGURES} FROM production
                            WHERE {window.where()} AND well_code IN (SELECT well_code FROM well_summary)
                            GROUP BY well_code) w JOIN well_summary s USING (well_code))"""
    return View(
        f"top-wells{scope(units, window)}",
        f"""SELECT well_code, well_name, field_name,
                   {units.column("oil_kbbl", window.cumulative("cum_oil"), "volume", "oil")},
                   {units.column("last_oil_kbd", "last_oil", "rate", "oil")},
                   strftime(last_period, '%Y-%m') AS last_period
            FROM {source} ORDER BY oil_kbbl DESC NULLS LAST, well_code LIMIT {int(limit)}""",
        text_columns=("well_name", "field_name"),
    )


def top_fields_view(limit: int = 10, units: UnitSystem = FIELD, window: Window = ALL) -> View:
    """Fields by cumulative oil, largest first (in a window: within it)."""
    source = "field_summary"
    if not window.is_all:
        source = f"""(SELECT s.field_code, s.field_name, s.wells, sum(m.oil_kbbl) AS oil_kbbl,
                             sum(m.gas_mmcf) AS gas_mmcf
                      FROM field_monthly m JOIN field_summary s ON s.field_code = m.field_code
                      WHERE {window.where("m.production_period")} GROUP BY ALL)"""
    return View(
        f"top-fields{scope(units, window)}",
        f"""SELECT field_code, field_name, wells,
                   {units.column("oil_kbbl", window.cumulative("cum_oil"), "total", "oil")},
                   {units.column("gas_mmcf", window.cumulative("cum_gas"), "total", "gas")}
            FROM {source} WHERE field_code IS NOT NULL
            ORDER BY oil_kbbl DESC NULLS LAST, field_code LIMIT {int(limit)}""",
        text_columns=("field_name",),
    )


def all_records_view(window: Window = ALL) -> View:
    """Every record (in a window: of its months), in the seed's columns and order, then created_at and
    updated_at; in stored units always, so that the file imports again."""
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
    if not window.is_all:
        unordered += f" WHERE {window.where()}"
    return View(
        f"all-records{window.slug}",
        f"{unordered} ORDER BY well_code, production_period",
        text_columns=("field_name", "well_reference", "well_name", "data_source", "source_data", "partition_0"),
        unordered_sql=unordered,
    )


# ---- wells -----------------------------------------------------------------------------------------


def well(con: Connection, code: int, units: UnitSystem = FIELD, window: Window = ALL) -> dict[str, Any]:
    """A well's identity, periods, cumulative volumes, last rates, water cut and GOR; NotFound if none. In a
    window, periods, volumes and last rates are the window's (read by key range from the production rows)."""
    source, params = "well_summary WHERE well_code = ?", [int(code)]
    if not window.is_all:
        source = f"""(SELECT s.well_code, s.well_name, s.well_reference, s.field_code, s.field_name, w.*
                      FROM well_summary s, (SELECT {WELL_FIGURES} FROM production
                                            WHERE well_code = ? AND {window.where()}) w
                      WHERE s.well_code = ?)"""
        params = [int(code), int(code)]
    phases = ("oil", "gas", "water")
    cumulative = ", ".join(units.column(_VOLUME_COLUMNS[p], window.cumulative(f"cum_{p}"), "volume", p) for p in phases)
    last = ", ".join(units.column(f"last_{_RATE_COLUMNS[p]}", f"last_{p}", "rate", p) for p in phases)
    found = records(
        con,
        f"""SELECT well_code, well_name, well_reference, field_code, field_name,
                   strftime(first_period, '%Y-%m') AS first_period, strftime(last_period, '%Y-%m') AS last_period,
                   months, {cumulative}, {last},
                   {water_cut("last_oil_kbd", "last_water_kbd")} AS last_water_cut,
                   {units.column(gor_scf_bbl("last_gas_mmcfd", "last_oil_kbd"), "last_gor", "gor", "oil")}
            FROM {source}""",
        params,
    )
    if not found:
        raise NotFound(f"no well with code {code}")
    return found[0]


#: The production table's calendar-day rate column of each phase.
_PRODUCTION_RATES = {"oil": "oil_production_kbd", "gas": "gas_production_mmcfd", "water": "water_production_kbd",
                     "liquids": "liquids_production_kbd"}


def well_history_view(
    code: int, newest_first: bool = False, units: UnitSystem = FIELD, window: Window = ALL, volumes: bool = False
) -> View:
    """A well's monthly history: rates (or, with ``volumes``, the month's volumes first and no rates), water
    cut, GOR, volumes and cumulative volumes (within the window when it starts late), oldest first."""
    rate, phases = _PRODUCTION_RATES, ("oil", "gas", "water")
    columns = [
        *(units.column(volume(c) if volumes else c, p, "volume" if volumes else "rate", p) for p, c in rate.items()),
        f"{water_cut(rate['oil'], rate['water'])} AS water_cut",
        units.column(gor_scf_bbl(rate["gas"], rate["oil"]), "gor", "gor", "oil"),
        *([] if volumes else (units.column(volume(rate[p]), p, "volume", p) for p in phases)),
        *(units.column(f"sum({volume(rate[p])}) OVER w", window.cumulative(f"cum_{p}"), "volume", p) for p in phases),
    ]
    where = "" if window.is_all else f" AND {window.where()}"
    return View(
        f"well-{int(code)}{'-volumes' if volumes else ''}{scope(units, window)}",
        f"""SELECT {int(code)} AS well_code, strftime(production_period, '%Y-%m') AS period,
                   days_on_production AS days, {", ".join(columns)}
            FROM production WHERE well_code = ?{where}
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


def _allocation(units: UnitSystem) -> str:
    """What a field's figures say about its field-level rows beside its wells (NULL where it has not both)."""
    return ", ".join(
        f"{units.column(f'reported_{c}', f'reported_{k}', 'total', k)}, "
        f"{units.column(f'wells_{c}', f'wells_{k}', 'total', k)}, "
        f"{difference_pct(f'reported_{c}', f'wells_{c}')} AS {k}_difference_pct"
        for k, c in _VOLUME_COLUMNS.items() if k != "liquids"
    )


def field_info(con: Connection, code: int, units: UnitSystem = FIELD, window: Window = ALL) -> dict[str, Any]:
    """A field's identity, well count, periods and cumulative volumes (its wells' sum, and its field-level
    rows in months without wells); where both exist, the reported totals, the wells' sum and the
    difference in % over those months (``months_both``); NotFound if none. In a window, the figures are
    its months' (read by key range from field_monthly); the well count stays the field's."""
    source, params = "field_summary WHERE field_code = ?", [int(code)]
    if not window.is_all:
        source = f"""(SELECT s.field_code, s.field_name, s.wells, t.*
                      FROM field_summary s, (SELECT {FIELD_TOTALS} FROM field_monthly m
                                             WHERE m.field_code = ? AND {window.where("m.production_period")}) t
                      WHERE s.field_code = ?)"""
        params = [int(code), int(code)]
    cumulative = ", ".join(
        units.column(c, window.cumulative(f"cum_{p}"), "total", p) for p, c in _VOLUME_COLUMNS.items()
    )
    found = records(
        con,
        f"""SELECT field_code, field_name, wells,
                   strftime(first_period, '%Y-%m') AS first_period, strftime(last_period, '%Y-%m') AS last_period,
                   {cumulative}, months_reported_only, months_both, {_allocation(units)}
            FROM {source}""",
        params,
    )
    if not found:
        raise NotFound(f"no field with code {code}")
    return found[0]


def allocation_view(units: UnitSystem = FIELD) -> View:
    """Fields that hold both field-level rows and wells: over the months with both, the reported totals, the
    wells' sum and the difference in % of the reported, largest oil difference first."""
    return View(
        f"field-allocation{scope(units)}",
        f"""SELECT field_code, field_name, wells, months_both, {_allocation(units)}
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


def field_well_columns(units: UnitSystem = FIELD, window: Window = ALL) -> tuple[str, ...]:
    """FIELD_WELL_COLUMNS as named in ``units`` and ``window`` (``cum_oil_kbbl`` -> ``window_cum_oil_sm3``)."""
    named = {f"cum_{p}_{_VOLUME_COLUMNS[p].split('_')[1]}": units.name_of(window.cumulative(f"cum_{p}"), "volume", p)
             for p in ("oil", "gas", "water")}
    return tuple(named.get(c, units.name_of("last_oil", "rate", "oil") if c == "last_oil_kbd" else c)
                 for c in FIELD_WELL_COLUMNS)


def field_wells_view(
    code: int, order_by: str = "cum_oil_kbbl", descending: bool = True, name: str = "", active_only: bool = False,
    units: UnitSystem = FIELD, window: Window = ALL,
) -> View:
    """A field's wells (columns as FIELD_WELL_COLUMNS, in ``units``; ``order_by`` names one of them in field
    units); ``name`` filters by name or reference (folded), ``active_only`` keeps the wells that produced in
    the database's last month. In a window: the wells that produced in it, their figures within it."""
    if order_by not in FIELD_WELL_COLUMNS:
        raise ValueError(f"cannot sort by {order_by!r}")
    order_by = field_well_columns(units, window)[FIELD_WELL_COLUMNS.index(order_by)]
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
    source = "field_wells"
    if not window.is_all:  # the field's rows in the window, by well: the production table read once, filtered
        source = f"""(SELECT f.field_code, f.well_code, f.field_level, f.well_name, f.well_reference, w.*
                      FROM field_wells f JOIN (SELECT well_code, {WELL_FIGURES} FROM production
                                               WHERE field_code = {int(code)} AND {window.where()}
                                               GROUP BY well_code) w USING (well_code)
                      WHERE f.field_code = {int(code)})"""
    kinds = ("filtered" if name.strip() else "", "active" if active_only else "")
    named = ("-" + "-".join(w for w in kinds if w)).rstrip("-")
    cumulative = {p: units.column(_VOLUME_COLUMNS[p], window.cumulative(f"cum_{p}"), "volume", p)
                  for p in ("oil", "gas", "water")}
    return View(
        f"field-{int(code)}-wells{named}{scope(units, window)}",
        f"""SELECT * FROM (
                SELECT well_code, well_name, {cumulative["oil"]},
                       {units.column("last_oil_kbd", "last_oil", "rate", "oil")},
                       {water_cut("last_oil_kbd", "last_water_kbd")} AS water_cut,
                       strftime(last_period, '%Y-%m') AS last_period,
                       strftime(first_period, '%Y-%m') AS first_period,
                       {cumulative["gas"]}, {cumulative["water"]}, well_reference
                FROM {source} WHERE {" AND ".join(where)} AND NOT field_level)
            ORDER BY {order_by} {direction} NULLS LAST, well_code""",
        tuple(params),
        text_columns=("well_name", "well_reference"),
    )


def field_monthly_view(code: int, units: UnitSystem = FIELD, window: Window = ALL) -> View:
    """A field's monthly totals: rates, volumes, water cut, GOR, producing wells, cumulative oil (within the
    window when it starts late), then cumulative gas and water; ``basis`` says whether a month counts its
    wells or its field-level row, and where both exist, the reported oil, the wells' sum and the difference."""
    phases = ("oil", "gas", "water")
    rates = ", ".join(units.column(c, p, "rate", p) for p, c in _RATE_COLUMNS.items())
    volumes = ", ".join(units.column(_VOLUME_COLUMNS[p], p, "volume", p) for p in phases)
    running = "OVER (ORDER BY production_period ROWS UNBOUNDED PRECEDING)"
    cumulative = {p: units.column(f"sum({_VOLUME_COLUMNS[p]}) {running}", window.cumulative(f"cum_{p}"), "total", p)
                  for p in phases}
    where = "" if window.is_all else f" AND {window.where()}"
    return View(
        f"field-{int(code)}-monthly{scope(units, window)}",
        f"""SELECT strftime(production_period, '%Y-%m') AS period, {rates},
                   {volumes}, {water_cut("oil_kbd", "water_kbd")} AS water_cut,
                   {units.column(gor_scf_bbl("gas_mmcfd", "oil_kbd"), "gor", "gor", "oil")}, producing_wells,
                   {cumulative["oil"]},
                   basis, {units.column("reported_oil_kbbl", "reported_oil", "volume", "oil")},
                   {units.column("wells_oil_kbbl", "wells_oil", "volume", "oil")},
                   {difference_pct("reported_oil_kbbl", "wells_oil_kbbl")} AS oil_difference_pct,
                   {cumulative["gas"]}, {cumulative["water"]}
            FROM field_monthly WHERE field_code = ?{where} ORDER BY production_period""",
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
