"""One field: its summary, its wells, its monthly totals and the allocation check of field-level rows
against its wells; finding fields."""

from __future__ import annotations

from typing import Any

from wellprod_tui.core.domain import (
    difference_pct,
    gor_scf_bbl,
    tidy,
    water_cut,
)
from wellprod_tui.core.months import ALL, Window
from wellprod_tui.core.units import FIELD, UnitSystem
from wellprod_tui.core.vocabulary import MEASURED_PHASES
from wellprod_tui.queries.views import RATE_COLUMNS, VOLUME_COLUMNS, NotFound, View, escape_like, folded, scope
from wellprod_tui.queries.wells import search_wells
from wellprod_tui.storage.connection import Connection, records, scalar
from wellprod_tui.storage.schema import FIELD_TOTALS, WELL_FIGURES

# ---- fields ----------------------------------------------------------------------------------------


def _allocation(units: UnitSystem) -> str:
    """What a field's figures say about its field-level rows beside its wells (NULL where it has not both)."""
    return ", ".join(
        f"{units.column(f'reported_{c}', f'reported_{k}', 'total', k)}, "
        f"{units.column(f'wells_{c}', f'wells_{k}', 'total', k)}, "
        f"{difference_pct(f'reported_{c}', f'wells_{c}')} AS {k}_difference_pct"
        for k, c in VOLUME_COLUMNS.items() if k != "liquids"
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
        units.column(c, window.cumulative(f"cum_{p}"), "total", p) for p, c in VOLUME_COLUMNS.items()
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
    named = {f"cum_{p}_{VOLUME_COLUMNS[p].split('_')[1]}": units.name_of(window.cumulative(f"cum_{p}"), "volume", p)
             for p in MEASURED_PHASES}
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
        pattern = f"%{escape_like(name.strip())}%"
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
    cumulative = {p: units.column(VOLUME_COLUMNS[p], window.cumulative(f"cum_{p}"), "volume", p)
                  for p in MEASURED_PHASES}
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
    phases = MEASURED_PHASES
    rates = ", ".join(units.column(c, p, "rate", p) for p, c in RATE_COLUMNS.items())
    volumes = ", ".join(units.column(VOLUME_COLUMNS[p], p, "volume", p) for p in phases)
    running = "OVER (ORDER BY production_period ROWS UNBOUNDED PRECEDING)"
    cumulative = {p: units.column(tidy(f"sum({VOLUME_COLUMNS[p]}) {running}"), window.cumulative(f"cum_{p}"),
                                  "total", p) for p in phases}
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
    pattern = f"%{escape_like(text.strip())}%"
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


def search_count(con: Connection, kind: str, text: str) -> int:
    """How many wells (``kind`` "well") or fields match ``text``, for "showing 50 of N"."""
    search = search_wells if kind == "well" else search_fields
    return len(search(con, text, 1_000_000_000))
