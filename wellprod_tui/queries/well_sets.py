"""A set of wells: a filter (``core.well_filter``) compiled to SQL with its values bound as parameters, or a
saved set. ``select_wells`` is the one way every command turns ``--set NAME`` / ``--where TEXT`` into wells.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wellprod_tui.core.api_numbers import code_ranges, header_key_sql
from wellprod_tui.core.sql_text import sql_identifier
from wellprod_tui.core.well_filter import (
    CODE,
    MONTH,
    NUMBER,
    TEXT,
    AllOf,
    AnyOf,
    Condition,
    Filter,
    FilterError,
    Negated,
    parse_filter,
)
from wellprod_tui.queries.views import NotFound, escape_like, folded
from wellprod_tui.storage.connection import Connection, records, scalar

#: The text attributes a header row gives in its own columns; any other is one of its extra attributes.
HEADER_TEXT = ("well_name", "operator", "formation", "field", "county", "state", "status", "well_class")
_HEADER_OF = f"h.header_code = {header_key_sql('s.well_code')}"

#: One row per well: its header's typed columns (a well without one: the well's own figures) and what its
#: code says (an API-12's state and county).
WELL_COLUMNS_SQL = f"""
SELECT s.well_code, h.spud_date, h.completion_date,
       coalesce(h.first_production, s.first_period) AS first_production, s.last_period AS last_production,
       h.latitude, h.longitude, h.lateral_length_ft, h.md_ft, h.tvd_ft
FROM well_summary s LEFT JOIN well_headers h ON {_HEADER_OF}"""

#: One row per well, text attribute and value, as the well stands now: its header's value, else the value
#: of the last month a production file gave one (ECMC's operator; formations: each of that month's), else
#: what the well's own rows say (its name, its field's code (field) and name (field_name), an API-12's state
#: and county).
CURRENT_VALUES_SQL = f"""
WITH header AS (
    SELECT s.well_code, u.name, u.value
    FROM well_summary s JOIN (
        UNPIVOT (SELECT header_code, {", ".join(HEADER_TEXT)} FROM well_headers)
        ON {", ".join(HEADER_TEXT)} INTO NAME name VALUE value
    ) u ON u.header_code = {header_key_sql('s.well_code')}
    UNION ALL
    SELECT s.well_code, a.name, a.value
    FROM well_summary s JOIN well_header_attributes a ON a.header_code = {header_key_sql('s.well_code')}
    WHERE a.value IS NOT NULL
), monthly AS (
    SELECT well_code, name, value FROM month_attributes
    WHERE value IS NOT NULL
    QUALIFY production_period = max(production_period) OVER (PARTITION BY well_code, name)
), own AS (
    SELECT well_code, 'well_name' AS name, well_name AS value FROM well_summary
    UNION ALL SELECT well_code, 'field', CAST(field_code AS VARCHAR) FROM well_summary
    UNION ALL SELECT well_code, 'field_name', field_name FROM well_summary
    UNION ALL SELECT well_code, 'state', lpad(CAST(well_code // 10000000000 AS VARCHAR), 2, '0')
        FROM well_summary WHERE well_code >= 10000000000 AND well_code < 1000000000000
    UNION ALL SELECT well_code, 'county', lpad(CAST(well_code // 10000000 % 1000 AS VARCHAR), 3, '0')
        FROM well_summary WHERE well_code >= 10000000000 AND well_code < 1000000000000
)
SELECT * FROM header
UNION ALL SELECT * FROM monthly m
    WHERE NOT EXISTS (SELECT 1 FROM header h WHERE h.well_code = m.well_code AND h.name = m.name)
UNION ALL SELECT * FROM own o WHERE o.value IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM header h WHERE h.well_code = o.well_code AND h.name = o.name)
    AND NOT EXISTS (SELECT 1 FROM monthly m WHERE m.well_code = o.well_code AND m.name = o.name)"""


@dataclass(frozen=True)
class WellSelection:
    """The wells a set or filter picks, held in a temporary table of the connection (column ``well_code``):
    ``WHERE well_code IN ({selection.subquery})``. ``label`` says which set it is, for titles and notes."""

    table: str
    label: str
    wells: int

    @property
    def subquery(self) -> str:
        """SQL selecting the wells' codes."""
        return f"SELECT well_code FROM {self.table}"


def select_wells(
    con: Connection, set_name: str | None = None, where: str | None = None, table: str = "selected_wells"
) -> WellSelection:
    """The wells of the saved set ``set_name`` and (both given: and) of the filter ``where``, kept in the
    temporary table ``table`` (replaced). Neither: every well. NotFound for an unknown set, FilterError for
    a filter that cannot be read."""
    condition, params, label = selection_condition(con, set_name, where)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {sql_identifier(table)} AS SELECT well_code FROM well_summary "
        f"WHERE {condition} ORDER BY well_code",
        params,
    )
    wells = scalar(con, f"SELECT count(*) FROM {sql_identifier(table)}")
    return WellSelection(sql_identifier(table), label, int(wells))


def selection_condition(
    con: Connection, set_name: str | None = None, where: str | None = None
) -> tuple[str, list[Any], str]:
    """What ``select_wells`` keeps, as a SQL condition over ``well_code`` with its parameters and a label,
    for a reader that cannot share a temporary table (the app's cursors): (sql, params, label)."""
    conditions: list[str] = []
    params: list[Any] = []
    labels: list[str] = []
    if set_name is not None:
        sql, set_params = _saved_set_sql(con, set_name)
        conditions.append(f"well_code IN ({sql})")
        params += set_params
        labels.append(f"set {set_name}")
    if where is not None and where.strip():
        sql, where_params = filter_sql(con, where)
        conditions.append(sql)
        params += where_params
        labels.append(where.strip())
    return " AND ".join(conditions) or "TRUE", params, " and ".join(labels) or "all wells"


def saved_set_names(con: Connection) -> list[str]:
    """The names of the saved sets."""
    return [r["name"] for r in records(con, "SELECT name FROM well_sets ORDER BY name")]


def header_attributes(con: Connection) -> tuple[str, ...]:
    """The text attributes the imported headers add (their files' other columns) and production files give."""
    found = records(
        con,
        "SELECT DISTINCT name FROM well_header_attributes UNION SELECT DISTINCT name FROM month_attributes "
        "ORDER BY name",
    )
    return tuple(r["name"] for r in found)


def filter_sql(con: Connection, text: str) -> tuple[str, list[Any]]:
    """A filter as a SQL condition over ``well_code`` and its parameters; FilterError when unreadable."""
    tree = parse_filter(text, header_attributes(con))
    params: list[Any] = []
    return _compiled(tree, params), params


def _compiled(tree: Filter, params: list[Any]) -> str:
    if isinstance(tree, Negated):
        return f"NOT ({_compiled(tree.part, params)})"
    if isinstance(tree, AllOf | AnyOf):
        joint = " AND " if isinstance(tree, AllOf) else " OR "
        return "(" + joint.join(_compiled(p, params) for p in tree.parts) + ")"
    return _condition(tree, params)


def _condition(c: Condition, params: list[Any]) -> str:
    negate = c.op in ("!=", "not in")
    if c.kind == CODE:
        named = []
        for digits in c.values:
            for low, high in code_ranges(str(digits)):
                named.append("well_code BETWEEN ? AND ?")
                params += [low, high]
        sql = "(" + " OR ".join(named or ["FALSE"]) + ")"
    elif c.kind in (NUMBER, MONTH):
        column = sql_identifier(c.attribute)
        if c.kind == MONTH:
            column = f"date_trunc('month', {column})"
        if c.op in ("in", "not in", "=", "!="):
            tests = " OR ".join(f"{column} = ?" for _ in c.values)
        else:
            tests = f"{column} {c.op} ?"
        params += list(c.values)
        sql = f"well_code IN (SELECT well_code FROM ({WELL_COLUMNS_SQL}) WHERE {tests})"
    else:
        tests = " OR ".join(f"{folded('value')} LIKE {folded('?')} ESCAPE '\\'" for _ in c.values)
        params.append(c.attribute)
        params += [escape_like(str(v)).replace("*", "%") for v in c.values]
        sql = f"well_code IN (SELECT well_code FROM ({CURRENT_VALUES_SQL}) WHERE name = ? AND ({tests}))"
    return f"NOT ({sql})" if negate else sql


# ---- saved sets ------------------------------------------------------------------------------------------


def _saved_set_sql(con: Connection, name: str) -> tuple[str, list[Any]]:
    found = records(con, "SELECT name, filter FROM well_sets WHERE name = ?", [name])
    if not found:
        known = [r["name"] for r in records(con, "SELECT name FROM well_sets ORDER BY name")]
        raise NotFound(f"no set called {name!r} (saved: {', '.join(known) or 'none'}; see `wellprod set list`)")
    text = found[0]["filter"]
    if text is None:
        return "SELECT well_code FROM well_set_members WHERE name = ?", [name]
    try:
        condition, params = filter_sql(con, text)
    except FilterError as exc:
        raise FilterError(f"set {name}: {exc}") from exc
    return f"SELECT well_code FROM well_summary WHERE {condition}", params


def save_set(con: Connection, name: str, where: str | None = None, wells: list[str] | None = None) -> int:
    """Save (or replace) the set ``name``: a filter, checked now and evaluated whenever the set is used, or a
    list of typed codes (``05-123-31642``: its wellbores). Returns how many wells it holds now."""
    if not name.strip() or len(name) > 100:
        raise FilterError("a set's name is 1 to 100 characters")
    if (where is None) == (wells is None):
        raise FilterError("a set is a filter (--where) or a list of wells (--wells FILE), one of them")
    if where is not None:
        filter_sql(con, where)  # refused now, not when first used
        selection = select_wells(con, where=where, table="saved_set_check")
    else:
        named = _named_codes(con, wells or [])
        con.execute("CREATE OR REPLACE TEMP TABLE saved_set_check AS SELECT unnest(?::BIGINT[]) AS well_code",
                    [named])
        selection = WellSelection("saved_set_check", name, len(named))
    con.execute("BEGIN")
    try:
        con.execute("DELETE FROM well_sets WHERE name = ?", [name])
        con.execute("DELETE FROM well_set_members WHERE name = ?", [name])
        con.execute("INSERT INTO well_sets VALUES (?, ?, ?, current_localtimestamp())",
                    [name, where, selection.wells])
        if where is None:
            con.execute(f"INSERT INTO well_set_members SELECT ?, well_code FROM ({selection.subquery})", [name])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return selection.wells


def _named_codes(con: Connection, typed: list[str]) -> list[int]:
    """The wells a list of typed codes names (an API-10: its wellbores); NotFound naming those that name none."""
    found: list[int] = []
    missing: list[str] = []
    for text in typed:
        ranges = code_ranges(text)
        named = " OR ".join("well_code BETWEEN ? AND ?" for _ in ranges) or "FALSE"
        codes = [r["well_code"] for r in records(
            con, f"SELECT well_code FROM well_summary WHERE {named}", [v for r in ranges for v in r])]
        found += codes
        if not codes:
            missing.append(text.strip())
    if missing:
        shown = ", ".join(repr(m) for m in missing[:10])
        raise NotFound(f"{len(missing)} line(s) name no well: {shown}{' …' if len(missing) > 10 else ''}")
    return sorted(set(found))


def saved_sets(con: Connection) -> list[dict[str, Any]]:
    """Every saved set: name, filter (or none: a list), wells when saved and now."""
    sets = records(con, "SELECT name, filter, wells AS wells_when_saved, saved_at FROM well_sets ORDER BY name")
    for row in sets:
        row["wells"] = select_wells(con, set_name=row["name"], table="saved_set_count").wells
    return sets


def unmatched_values(con: Connection, where: str, shown: int = 8) -> list[str]:
    """Why a filter picks no well: each ``attribute=value`` (or ``in``) whose value no well has, with the
    attribute's values (``operator: no well has 'NOBEL*' (values: NOBLE ENERGY INC, …)``)."""
    said: list[str] = []
    for c in _conditions(parse_filter(where, header_attributes(con))):
        if c.kind != TEXT or c.op not in ("=", "in"):
            continue
        tests = " OR ".join(f"{folded('value')} LIKE {folded('?')} ESCAPE '\\'" for _ in c.values)
        patterns = [escape_like(str(v)).replace("*", "%") for v in c.values]
        source = f"({CURRENT_VALUES_SQL}) WHERE name = ?"
        if scalar(con, f"SELECT count(*) FROM {source} AND ({tests})", [c.attribute, *patterns]):
            continue
        values = [r["value"] for r in records(
            con, f"SELECT value, count(*) AS n FROM {source} GROUP BY value ORDER BY n DESC, value LIMIT ?",
            [c.attribute, shown + 1])]
        listed = ", ".join(values[:shown]) + (", …" if len(values) > shown else "")
        typed = ", ".join(repr(str(v)) for v in c.values)
        said.append(f"{c.attribute}: no well has {typed} (values: {listed or 'none'})")
    return said


def _conditions(tree: Filter) -> list[Condition]:
    if isinstance(tree, Condition):
        return [tree]
    if isinstance(tree, Negated):
        return []  # a negated condition that matches nothing keeps every well
    return [c for part in tree.parts for c in _conditions(part)]
