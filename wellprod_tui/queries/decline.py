"""What decline analysis reads (each well's monthly rates of a phase) and its forecast as a view."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from wellprod_tui.core.domain import PRODUCED_SOMETHING
from wellprod_tui.core.sql_text import sql_identifier
from wellprod_tui.queries.selection import Selection
from wellprod_tui.queries.views import View
from wellprod_tui.storage.connection import Connection
from wellprod_tui.storage.schema import FIELD_LEVEL

# ---- decline curves --------------------------------------------------------------------------------

#: The calendar-day rate column of each phase a decline can be fitted to.
DECLINE_PHASE_COLUMNS = {"oil": "oil_production_kbd", "gas": "gas_production_mmcfd", "water": "water_production_kbd"}


def decline_history(con: Connection, phase: str, well_code: int | None = None, field_code: int | None = None,
                    selection: Selection | None = None) -> dict[str, Any]:
    """Monthly rows for decline fits as numpy arrays, by well then month: well_code, month (year*12 + month - 1),
    days (on production) and rate (the phase's calendar-day rate); NULL days and rates are NaN. A field's rows
    are its wells' (not an injector's: a well that never produced anything); its field-level rows (reported
    totals) only when it has no well records at all. A selection's rows are its wells', read in one query."""
    column = DECLINE_PHASE_COLUMNS[phase]
    params: dict[str, Any] = {}
    if selection is not None:
        codes_sql, params = selection.codes_sql(con)
        where, code = f"well_code IN ({codes_sql})", None
    elif well_code is not None:
        where, code = "well_code = $code", int(well_code)
    else:
        where = f"""field_code = $code AND (NOT {FIELD_LEVEL} OR NOT EXISTS (
                        SELECT 1 FROM production w WHERE w.field_code = $code AND w.well_code <> w.field_code))
                    AND well_code IN (SELECT well_code FROM production WHERE field_code = $code
                                      AND ({PRODUCED_SOMETHING}))"""
        code = int(field_code or 0)
    return con.execute(
        f"""SELECT well_code, CAST(year(production_period) * 12 + month(production_period) - 1 AS BIGINT) AS month,
                   coalesce(days_on_production, 'NaN'::DOUBLE) AS days, coalesce({column}, 'NaN'::DOUBLE) AS rate
            FROM production WHERE {where} ORDER BY well_code, production_period""",
        params if code is None else {"code": code},
    ).fetchnumpy()


def forecast_view(name: str, rate_unit: str, volume_unit: str, months: Sequence[tuple[str, float, float, float]],
                  parameters: Mapping[str, Any] | None = None) -> View:
    """A monthly forecast (month, rate, volume, cumulative) as a view, so it exports like any other; each row
    led by the ``parameters`` (name: value) as columns, as the CLI's forecast CSV is (a forecast with no month,
    its limit passed, is one row of parameters)."""
    rate, volume = rate_unit.lower(), volume_unit.lower()
    named = dict(parameters or {})
    columns: list[list[Any]] = [[row[i] for row in months] for i in range(4)]
    if named and not months:
        columns = [[None] for _ in range(4)]
    leading = "".join(f"?::{_SQL_TYPE.get(type(value), 'VARCHAR')} AS {sql_identifier(column)}, "
                      for column, value in named.items())
    return View(
        name,
        f"""SELECT {leading}unnest(?::VARCHAR[]) AS month, unnest(?::DOUBLE[]) AS rate_{rate},
                   unnest(?::DOUBLE[]) AS volume_{volume}, unnest(?::DOUBLE[]) AS cumulative_{volume}""",
        (*named.values(), *columns),
    )


_SQL_TYPE = {int: "BIGINT", float: "DOUBLE"}


def typecurve_view(name: str, rate_unit: str, months: Sequence[tuple[Any, ...]]) -> View:
    """A type curve's table (month on production, wells, P10, P50, P90, mean, the P50's fit) as a view."""
    rate = rate_unit.lower()
    names = ("month_on_production", "wells", *(f"{n}_{rate}" for n in ("p10", "p50", "p90", "mean", "p50_fit")))
    types = ("INTEGER", "INTEGER", *("DOUBLE",) * 5)
    return View(
        name,
        "SELECT " + ", ".join(f"unnest(?::{t}[]) AS {n}" for n, t in zip(names, types, strict=True)),
        tuple([row[i] for row in months] for i in range(len(names))),
    )
