"""One well: its summary and its monthly history; finding wells by code, name or reference."""

from __future__ import annotations

from typing import Any

from wellprod_tui.core.api_numbers import api_label, code_ranges
from wellprod_tui.core.domain import (
    gor_scf_bbl,
    tidy,
    volume,
    water_cut,
)
from wellprod_tui.core.months import ALL, Window
from wellprod_tui.core.units import FIELD, UnitSystem
from wellprod_tui.core.vocabulary import MEASURED_PHASES
from wellprod_tui.queries.views import RATE_COLUMNS, VOLUME_COLUMNS, NotFound, View, escape_like, folded, scope
from wellprod_tui.storage.connection import Connection, records
from wellprod_tui.storage.schema import WELL_FIGURES

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
    phases = MEASURED_PHASES
    cumulative = ", ".join(units.column(VOLUME_COLUMNS[p], window.cumulative(f"cum_{p}"), "volume", p) for p in phases)
    last = ", ".join(units.column(f"last_{RATE_COLUMNS[p]}", f"last_{p}", "rate", p) for p in phases)
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
    rate, phases = _PRODUCTION_RATES, MEASURED_PHASES
    columns = [
        *(units.column(volume(c) if volumes else c, p, "volume" if volumes else "rate", p) for p, c in rate.items()),
        f"{water_cut(rate['oil'], rate['water'])} AS water_cut",
        units.column(gor_scf_bbl(rate["gas"], rate["oil"]), "gor", "gor", "oil"),
        *([] if volumes else (units.column(volume(rate[p]), p, "volume", p) for p in phases)),
        *(units.column(tidy(f"sum({volume(rate[p])}) OVER w"), window.cumulative(f"cum_{p}"), "volume", p)
          for p in phases),
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
        whole_columns=("days",),
    )


def search_wells(con: Connection, text: str, limit: int = 50) -> list[dict[str, Any]]:
    """Wells whose code, name or reference contains ``text`` (case and accents folded), or that an API number
    typed with or without dashes names (``05-123-31642``: its wellbores); the exact code first."""
    pattern = f"%{escape_like(text.strip())}%"
    ranges = code_ranges(text)
    named = " OR ".join(f"well_code BETWEEN {low} AND {high}" for low, high in ranges) or "FALSE"
    exact = ranges[0][0] if ranges else -1
    return records(
        con,
        f"""SELECT well_code, well_name, well_reference, field_code, field_name,
                  strftime(last_period, '%Y-%m') AS last_period
           FROM well_summary
           WHERE CAST(well_code AS VARCHAR) LIKE $1 ESCAPE '\\' OR {folded("well_name")} LIKE {folded("$1")} ESCAPE '\\'
                 OR {folded("well_reference")} LIKE {folded("$1")} ESCAPE '\\' OR {named}
           ORDER BY well_code <> $2, NOT ({named}), well_code LIMIT $3""",
        [pattern, exact, limit],
    )


class AmbiguousCode(NotFound):
    """A typed code (an API-10) that names several wellbores."""


def resolve_well(con: Connection, text: str) -> int:
    """The well a typed code names: ``59806``, ``05-123-31642-01``, ``0512331642`` (one wellbore) or its
    API-14; NotFound when none, AmbiguousCode listing them when an API-10 names several."""
    ranges = code_ranges(text)
    if not ranges:
        raise NotFound(f"{text!r} is not a well code (digits, or an API number such as 05-123-31642-01)")
    named = " OR ".join(f"well_code BETWEEN {low} AND {high}" for low, high in ranges)
    codes = [r["well_code"] for r in records(
        con, f"SELECT well_code FROM well_summary WHERE {named} ORDER BY well_code <> ?, well_code LIMIT 21",
        [ranges[0][0]],
    )]
    if not codes:
        raise NotFound(f"no well {text.strip()}")
    if codes[0] == ranges[0][0] or len(codes) == 1:
        return int(codes[0])
    listed = ", ".join(f"{api_label(c)} ({c})" for c in codes[:20])
    raise AmbiguousCode(f"{text.strip()} names {len(codes)}{'+' if len(codes) > 20 else ''} wellbores: {listed}")


