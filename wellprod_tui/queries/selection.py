"""Which wells a command reads: every well, a field's wells, a list of typed codes, or a saved set and/or a
filter (``queries.well_sets``). One door for the batch decline, the type curve and the app's views of a set."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wellprod_tui.core.api_numbers import code_ranges
from wellprod_tui.core.domain import PRODUCED_SOMETHING
from wellprod_tui.core.sql_text import sql_identifier
from wellprod_tui.core.well_filter import ATTRIBUTES, NUMBER
from wellprod_tui.queries.well_sets import WELL_COLUMNS_SQL, select_wells
from wellprod_tui.storage.connection import Connection

#: Wells that produced something (an injector never did): what "every well" and "a field's wells" mean.
_PRODUCERS = f"SELECT DISTINCT well_code FROM production WHERE {PRODUCED_SOMETHING}"


class SelectionError(ValueError):
    """A list of wells that cannot be read (a code that is no code); the message names it."""


@dataclass(frozen=True)
class Selection:
    """A set of wells: ``all`` (every producing well), ``field`` (a field's producing wells), ``wells`` (typed
    codes: an API-10 also names its wellbores) or ``filter`` (the saved set ``set_name`` and/or the filter
    ``where``, as ``select_wells`` reads them)."""

    kind: str
    field_code: int | None = None
    typed_codes: tuple[str, ...] = ()
    set_name: str | None = None
    where: str | None = None

    def __post_init__(self) -> None:
        for text in self.typed_codes:
            if not code_ranges(text):
                raise SelectionError(f"{text!r} is not a well code (digits, or an API number: 05-123-31642-01)")

    @property
    def label(self) -> str:
        """How the set is named in headings and exports."""
        if self.kind == "field":
            return f"field {self.field_code}"
        if self.kind == "wells":
            return f"{len(self.typed_codes)} listed wells"
        if self.kind == "filter":
            named = ([f"set {self.set_name}"] if self.set_name is not None else []) + (
                [self.where.strip()] if self.where and self.where.strip() else [])
            return " and ".join(named) or "all wells"
        return "all wells"

    def codes_sql(self, con: Connection) -> tuple[str, dict[str, Any]]:
        """A subquery of the set's well codes, with its parameters (names prefixed ``sel_``); a saved set or a
        filter is evaluated now, into a temporary table of ``con`` (NotFound, FilterError when it cannot be)."""
        if self.kind == "filter":
            return select_wells(con, self.set_name, self.where, table="selection_wells").subquery, {}
        if self.kind == "field":
            return (f"""SELECT well_code FROM field_wells WHERE field_code = $sel_field AND NOT field_level
                        AND well_code IN ({_PRODUCERS})""", {"sel_field": int(self.field_code or 0)})
        if self.kind == "wells":
            ranges = [r for text in self.typed_codes for r in code_ranges(text)]
            return ("""SELECT DISTINCT w.well_code FROM well_summary w
                       JOIN (SELECT unnest($sel_low) AS low, unnest($sel_high) AS high) r
                         ON w.well_code BETWEEN r.low AND r.high""",
                    {"sel_low": [low for low, _ in ranges], "sel_high": [high for _, high in ranges]})
        return f"SELECT well_code FROM well_summary WHERE well_code IN ({_PRODUCERS})", {}


def selected_codes(con: Connection, selection: Selection) -> list[int]:
    """The set's well codes, in order."""
    sql, params = selection.codes_sql(con)
    return [int(r[0]) for r in con.execute(f"SELECT well_code FROM ({sql}) ORDER BY well_code", params).fetchall()]


def unmatched_codes(con: Connection, selection: Selection) -> list[str]:
    """The typed codes of a ``wells`` selection that name no well."""
    entries = [(i, low, high) for i, text in enumerate(selection.typed_codes) for low, high in code_ranges(text)]
    if not entries:
        return []
    found = con.execute(
        """SELECT r.i FROM (SELECT unnest($i) AS i, unnest($low) AS low, unnest($high) AS high) r
           LEFT JOIN well_summary w ON w.well_code BETWEEN r.low AND r.high
           GROUP BY r.i HAVING count(w.well_code) = 0 ORDER BY r.i""",
        {"i": [e[0] for e in entries], "low": [e[1] for e in entries], "high": [e[2] for e in entries]},
    ).fetchall()
    return [selection.typed_codes[int(r[0])] for r in found]


def parse_well_list(text: str) -> tuple[str, ...]:
    """Typed codes from a list: separated by commas or new lines; ``#`` starts a comment."""
    lines = (line.split("#", 1)[0] for line in text.splitlines())
    return tuple(code for line in lines for part in line.split(",") for code in [part.strip()] if code)


#: The attributes a type curve can be normalised by: the headers' numbers.
NUMERIC_ATTRIBUTES = tuple(name for name, kind in ATTRIBUTES.items() if kind == NUMBER)


def numeric_attribute(con: Connection, selection: Selection, attribute: str) -> dict[int, float]:
    """Each selected well's value of a numeric header attribute (``lateral_length_ft``), where it is above 0;
    SelectionError when the attribute is not a number attribute."""
    if attribute not in NUMERIC_ATTRIBUTES:
        raise SelectionError(f"{attribute!r} is not a number attribute (one of {', '.join(NUMERIC_ATTRIBUTES)})")
    sql, params = selection.codes_sql(con)
    column = sql_identifier(attribute)
    found = con.execute(f"""SELECT well_code, CAST({column} AS DOUBLE) FROM ({WELL_COLUMNS_SQL})
                            WHERE well_code IN ({sql}) AND {column} > 0""", params).fetchall()
    return {int(code): float(value) for code, value in found}
