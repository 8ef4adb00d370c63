"""Wells grouped by an attribute (operator, formation, county, status, field, a header's own column, a
vintage): per group its wells, producing wells, cumulative volumes, last month's rates, periods, water cut
and GOR, and one group's monthly totals. By the wells' current value (a header's, else the last month's),
or by each month's value (``by_month``: the operator of that month, each formation's own volumes)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wellprod_tui.core.domain import PRODUCING, gor_scf_bbl, tidy, volume, water_cut
from wellprod_tui.core.months import ALL, Window
from wellprod_tui.core.units import FIELD, UnitSystem
from wellprod_tui.core.well_filter import ATTRIBUTES, MONTH, NUMBER, TEXT, FilterError
from wellprod_tui.queries.views import View, scope
from wellprod_tui.queries.well_sets import CURRENT_VALUES_SQL, WELL_COLUMNS_SQL, WellSelection, header_attributes
from wellprod_tui.storage.connection import Connection, records, scalar

#: What a well without a value for the attribute is grouped under.
NO_VALUE = "(none)"
_PHASE_VOLUMES = {"oil": "oil_kbbl", "gas": "gas_mmcf", "water": "water_kbbl", "liquids": "liquids_kbbl"}
_RATE_OF = {"oil": "oil_production_kbd", "gas": "gas_production_mmcfd", "water": "water_production_kbd",
            "liquids": "liquids_production_kbd"}


@dataclass(frozen=True)
class Grouping:
    """Which wells' months go to which group: ``rows_sql`` yields (grp, well_code, production_period,
    volumes, producing) with ``params``; ``by_month`` says whether each month has its own group."""

    attribute: str
    by_month: bool
    rows_sql: str
    params: tuple[Any, ...]
    note: str


def grouping(
    con: Connection, attribute: str, by_month: bool = False, selection: WellSelection | None = None,
    within: tuple[str, list[Any]] | None = None,
) -> Grouping:
    """How ``attribute`` groups the wells (of ``selection``, or those passing the condition ``within`` from
    ``well_sets.selection_condition``, else all). An attribute that only production
    files give per month, that no header gives and that splits some months (ECMC's formation) is grouped
    by month, and the note says so.
    FilterError for an unknown attribute or a number attribute (not a group)."""
    kinds = {**{a: TEXT for a in header_attributes(con)}, **ATTRIBUTES}
    folded = {a.lower(): a for a in kinds}
    if attribute.lower() not in folded or attribute == "well":
        known = ", ".join(sorted((a for a in kinds if kinds[a] != NUMBER and a != "well"), key=str.lower))
        raise FilterError(f"cannot group by {attribute!r} (attributes: {known})")
    attribute = folded[attribute.lower()]
    if kinds[attribute] == NUMBER:
        raise FilterError(f"{attribute} is a number: group by a text attribute or a date's year "
                          "(filter numbers with --where, e.g. lateral_length_ft>7000)")
    among = f" AND well_code IN ({selection.subquery})" if selection else ""
    among_params: tuple[Any, ...] = ()
    if within is not None:
        among = f" AND well_code IN (SELECT well_code FROM well_summary WHERE {within[0]})"
        among_params = tuple(within[1])
    monthly = scalar(con, "SELECT count(*) > 0 FROM month_attributes WHERE name = ?", [attribute])
    note = ""
    if not by_month and monthly and kinds[attribute] == TEXT:
        from_headers = scalar(con, f"""SELECT count(*) FROM ({CURRENT_VALUES_SQL}) v
            WHERE name = ? AND NOT EXISTS (SELECT 1 FROM month_attributes m WHERE m.well_code = v.well_code
                                           AND m.name = v.name){among}""", [attribute, *among_params])
        split = scalar(con, """SELECT count(*) > 0 FROM (SELECT 1 FROM month_attributes WHERE name = ?
                                GROUP BY well_code, production_period HAVING count(*) > 1)""", [attribute])
        if not from_headers and split:
            by_month, note = True, (f"each month's {attribute} (no header gives it; a month reported once per "
                                    "value counts each value's own volumes)")
    if by_month:
        if not monthly:
            raise FilterError(f"no production file gives {attribute} per month: --by-month groups by what a "
                              "production profile keeps per month (ECMC's operator and formation)")
        producing = " OR ".join(f"coalesce({c}, 0) > 0" for c in _PHASE_VOLUMES.values())
        rows = f"""SELECT coalesce(value, '{NO_VALUE}') AS grp, well_code, production_period, oil_kbbl, gas_mmcf,
                          water_kbbl, liquids_kbbl, ({producing}) AS producing
                   FROM month_attributes WHERE name = ?{among}"""
        return Grouping(attribute, True, rows, (attribute, *among_params), note or f"each month's {attribute}")
    if kinds[attribute] == MONTH:
        assigned = f"SELECT well_code, strftime({attribute}, '%Y') AS grp FROM ({WELL_COLUMNS_SQL})"
        params: tuple[Any, ...] = ()
        note = f"the year of {attribute}"
    else:
        assigned = f"""SELECT well_code, string_agg(DISTINCT value, ' + ' ORDER BY value) AS grp
                       FROM ({CURRENT_VALUES_SQL}) WHERE name = ? GROUP BY well_code"""
        params = (attribute,)
        note = f"the wells' current {attribute}"
    rows = f"""SELECT coalesce(g.grp, '{NO_VALUE}') AS grp, p.well_code, p.production_period,
                      {volume("oil_production_kbd")} AS oil_kbbl, {volume("gas_production_mmcfd")} AS gas_mmcf,
                      {volume("water_production_kbd")} AS water_kbbl,
                      {volume("liquids_production_kbd")} AS liquids_kbbl, {PRODUCING} AS producing
               FROM production p JOIN well_summary s USING (well_code) LEFT JOIN ({assigned}) g USING (well_code)
               WHERE TRUE{among.replace("well_code", "p.well_code", 1)}"""
    return Grouping(attribute, False, rows, params + among_params, note)


def _monthly_sql(g: Grouping, window: Window) -> str:
    """Per group and month: wells reporting, wells producing, the month's volumes."""
    where = "" if window.is_all else f" WHERE {window.where()}"
    sums = ", ".join(f"sum({c}) AS {c}" for c in _PHASE_VOLUMES.values())
    return f"""SELECT grp, production_period, count(DISTINCT well_code) AS reporting_wells,
                      count(DISTINCT well_code) FILTER (WHERE producing) AS producing_wells, {sums}
               FROM ({g.rows_sql}){where} GROUP BY grp, production_period"""


def _rate(volume_column: str) -> str:
    return tidy(f"{volume_column} / day(last_day(production_period))")


def groups_view(g: Grouping, units: UnitSystem = FIELD, window: Window = ALL) -> View:
    """One row per group, largest cumulative oil first: wells, wells producing in the group's last month,
    cumulative volumes, that month's calendar-day rates, water cut and GOR, first and last month."""
    where = "" if window.is_all else f" WHERE {window.where()}"
    cumulative = ", ".join(units.column(f"sum(m.{c})", window.cumulative(f"cum_{p}"), "total", p)
                           for p, c in _PHASE_VOLUMES.items() if p != "liquids")
    last = ", ".join(units.column(f"arg_max(m.{p}_rate, m.production_period)", f"last_{p}", "rate", p)
                     for p in ("oil", "gas", "water"))
    rates = ", ".join(f"{_rate(c)} AS {p}_rate" for p, c in _PHASE_VOLUMES.items())
    return View(
        f"group-{g.attribute}{'-by-month' if g.by_month else ''}{scope(units, window)}",
        f"""SELECT m.grp AS {g.attribute}, w.wells,
                   arg_max(m.producing_wells, m.production_period) AS producing_wells, {cumulative}, {last},
                   {water_cut("arg_max(m.oil_rate, m.production_period)", "arg_max(m.water_rate, m.production_period)")}
                       AS last_water_cut,
                   {units.column(gor_scf_bbl("arg_max(m.gas_rate, m.production_period)",
                                             "arg_max(m.oil_rate, m.production_period)"), "last_gor", "gor", "oil")},
                   strftime(min(m.production_period), '%Y-%m') AS first_period,
                   strftime(max(m.production_period), '%Y-%m') AS last_period
            FROM (SELECT *, {rates} FROM ({_monthly_sql(g, window)})) m
            JOIN (SELECT grp, count(DISTINCT well_code) AS wells FROM ({g.rows_sql}){where} GROUP BY grp) w
              USING (grp)
            GROUP BY m.grp, w.wells ORDER BY sum(m.oil_kbbl) DESC NULLS LAST, m.grp""",
        g.params + g.params,
        text_columns=(g.attribute,),
    )


def group_monthly_view(g: Grouping, value: str, units: UnitSystem = FIELD, window: Window = ALL) -> View:
    """One group's monthly totals, oldest first: wells reporting and producing, calendar-day rates, water
    cut, GOR and the month's volumes (``value`` as the groups table shows it; case is not ignored)."""
    rates = {p: _rate(c) for p, c in _PHASE_VOLUMES.items()}
    return View(
        f"group-{g.attribute}-{value}-monthly{scope(units, window)}",
        f"""SELECT strftime(production_period, '%Y-%m') AS period, reporting_wells, producing_wells,
                   {", ".join(units.column(r, p, "rate", p) for p, r in rates.items())},
                   {water_cut(rates["oil"], rates["water"])} AS water_cut,
                   {units.column(gor_scf_bbl(rates["gas"], rates["oil"]), "gor", "gor", "oil")},
                   {", ".join(units.column(c, p, "volume", p) for p, c in _PHASE_VOLUMES.items())}
            FROM ({_monthly_sql(g, window)}) WHERE grp = ? ORDER BY production_period""",
        (*g.params, value),
    )


def group_wells_view(g: Grouping, value: str, units: UnitSystem = FIELD, window: Window = ALL) -> View:
    """The wells of one group, largest cumulative oil first: their volumes in the group (by month: in the
    months the group holds), their last rates and their months in it."""
    where = "" if window.is_all else f" AND {window.where()}"
    cumulative = ", ".join(units.column(f"sum(r.{c})", window.cumulative(f"cum_{p}"), "volume", p)
                           for p, c in _PHASE_VOLUMES.items() if p != "liquids")
    return View(
        f"group-{g.attribute}-{value}-wells{scope(units, window)}",
        f"""SELECT r.well_code, any_value(s.well_name) AS well_name, {cumulative},
                   {units.column("any_value(s.last_oil_kbd)", "last_oil", "rate", "oil")},
                   strftime(min(r.production_period), '%Y-%m') AS first_period,
                   strftime(max(r.production_period), '%Y-%m') AS last_period
            FROM ({g.rows_sql}) r JOIN well_summary s USING (well_code)
            WHERE r.grp = ?{where} GROUP BY r.well_code ORDER BY sum(r.oil_kbbl) DESC NULLS LAST, r.well_code""",
        (*g.params, value),
        text_columns=("well_name",),
    )


def group_attributes(con: Connection) -> list[str]:
    """The attributes wells can be grouped by: the text and date ones, then the headers' own columns."""
    extra = [a for a in header_attributes(con) if a not in ATTRIBUTES]
    return [a for a, kind in ATTRIBUTES.items() if kind in (TEXT, MONTH)] + sorted(extra, key=str.lower)


def set_stats(con: Connection, selection: WellSelection, units: UnitSystem = FIELD, window: Window = ALL
              ) -> dict[str, Any]:
    """A set's figures as ``stats`` gives the database's: wells, records, fields, periods, total volumes."""
    where = "" if window.is_all else f" AND {window.where()}"
    volumes = ", ".join(units.column(f"sum({volume(c)})", p, "total", p) for p, c in _RATE_OF.items())
    row = records(con, f"""SELECT count(DISTINCT well_code) AS wells, count(*) AS records,
                                  count(DISTINCT field_code) AS fields,
                                  strftime(min(production_period), '%Y-%m') AS first_period,
                                  strftime(max(production_period), '%Y-%m') AS last_period, {volumes}
                           FROM production WHERE well_code IN ({selection.subquery}){where}""")[0]
    return {"set": selection.label, "wells_in_set": selection.wells, **row}


def set_wells_view(selection: WellSelection, units: UnitSystem = FIELD, limit: int = 10) -> View:
    """A set's wells by cumulative oil, largest first."""
    return View(
        f"set-wells{scope(units)}",
        f"""SELECT well_code, well_name, {units.column("oil_kbbl", "cum_oil", "volume", "oil")},
                   {units.column("gas_mmcf", "cum_gas", "volume", "gas")},
                   {units.column("last_oil_kbd", "last_oil", "rate", "oil")},
                   strftime(last_period, '%Y-%m') AS last_period
            FROM well_summary WHERE well_code IN ({selection.subquery})
            ORDER BY oil_kbbl DESC NULLS LAST, well_code LIMIT {int(limit)}""",
        text_columns=("well_name",),
    )
