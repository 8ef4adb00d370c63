"""What a question is: a named View over the whole result, read a page at a time or whole; shared SQL
helpers of the questions (accent folding, LIKE escaping)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from wellprod_tui.core.months import ALL, Window
from wellprod_tui.core.units import FIELD, UnitSystem
from wellprod_tui.storage.connection import Connection, rows, scalar


@dataclass(frozen=True)
class View:
    """A whole query result with a name that says its scope (used in export file names)."""

    name: str
    sql: str
    params: tuple[Any, ...] = ()
    text_columns: tuple[str, ...] = field(default=())
    #: The same rows without ORDER BY, for when the table already lies in that order (faster exports).
    unordered_sql: str = ""
    #: Number columns written to files without a trailing .0 when whole (days: 31, and 30.5 stays).
    whole_columns: tuple[str, ...] = field(default=())


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


def folded(sql: str) -> str:
    """SQL folding case and accents: ``ÆSIR`` -> ``aesir``, ``Ødegaard`` -> ``odegaard``, ``Åsgard`` -> ``asgard``.

    strip_accents does not decompose æ, ø, œ or ß (they are letters, not accented ones), so they are spelled out.
    """
    lowered = f"lower({sql})"
    for letter, spelled in (("æ", "ae"), ("ø", "o"), ("œ", "oe"), ("ß", "ss"), ("đ", "d"), ("ł", "l")):
        lowered = f"replace({lowered}, '{letter}', '{spelled}')"
    return f"strip_accents({lowered})"


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


VOLUME_COLUMNS = {"oil": "oil_kbbl", "gas": "gas_mmcf", "water": "water_kbbl", "liquids": "liquids_kbbl"}
#: Stored calendar-day rate columns of field_monthly, by phase.
RATE_COLUMNS = {"oil": "oil_kbd", "gas": "gas_mmcfd", "water": "water_kbd", "liquids": "liquids_kbd"}


def scope(units: UnitSystem = FIELD, window: Window = ALL) -> str:
    """What a view's name adds for its units and window: ``-metric-2022-01-2023-12`` (empty by default)."""
    return ("" if units is FIELD else f"-{units.name}") + window.slug
