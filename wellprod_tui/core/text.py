"""Text for a terminal, shared by the CLI and the app: ``visible()`` for every text that came from a file or
another process, ``say()`` the door every line of the CLI goes through, table cells, plurals, aligned tables."""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from wellprod_tui.core.units import FIELD, UnitSystem


def _visible_table() -> dict[int, str]:
    table = {c: f"\\x{c:02x}" for c in (*range(0x20), *range(0x7F, 0xA0))}
    table.update({0x09: "␉", 0x0A: "␊", 0x0D: "␍"})
    # bidirectional overrides reorder what follows them on screen
    table.update({c: f"\\u{c:04x}" for c in (0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))})
    return table


_VISIBLE = _visible_table()
_VISIBLE_LINES = {**_VISIBLE, 0x0A: "\n"}
# JSON escapes C0 controls itself; C1 controls (0x9b is CSI on some terminals) and bidi overrides it leaves raw
_JSON_UNSEEN = {c: f"\\u{c:04x}" for c in _VISIBLE if c >= 0x7F}
_GLYPHS = {c: chr(0x2400 + c) for c in range(0x20)} | {c: "\ufffd" for c in _VISIBLE if c >= 0x7F} | {0x7F: "␡"}


def visible(text: str) -> str:
    """Text safe to print on a terminal: control characters (ESC, CR, BEL…) and bidi overrides shown as
    ``\\x1b``, ``␍``… instead of acting on the terminal. For text output only; JSON stays exact."""
    return text.translate(_VISIBLE)


def glyphs(text: str) -> str:
    """One visible glyph for each control character (␛, ␇, ␍; � for C1 controls and bidi overrides): for text
    edited in place, where a cursor counts characters."""
    return text.translate(_GLYPHS)


def visible_lines(text: str) -> str:
    """``visible()`` that keeps line breaks: for whole outputs made of several lines."""
    return text.translate(_VISIBLE_LINES)


def visible_json(text: str) -> str:
    """JSON text with C1 controls and bidi overrides as ``\\u`` escapes: the same data once parsed, and
    nothing in it acts on a terminal."""
    return text.translate(_JSON_UNSEEN)


def say(text: str = "", *, err: bool = False, end: str = "\n") -> None:
    """Write text output of the CLI, shown visibly (the door every line of it goes through): stdout, or
    stderr with ``err``."""
    print(visible_lines(text), end=end, file=sys.stderr if err else sys.stdout, flush=err)


def cell(value: Any, decimals: int = 3) -> str:
    """A value as a table cell: numbers with separators, months as YYYY-MM."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        if not math.isfinite(value):
            return "∞" if value > 0 else "-∞"
        return f"{value:,.{decimals}f}"
    if isinstance(value, int):
        return f"{value}"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.strftime("%Y-%m")
    return visible(str(value))


def column_decimals(values: Sequence[Any]) -> int:
    """Decimals that suit a column: none for whole numbers, 1 for thousands, else 3."""
    numbers = [v for v in values if isinstance(v, float) and math.isfinite(v)]
    if not numbers or all(v == int(v) for v in numbers):
        return 0
    return 1 if max(abs(v) for v in numbers) >= 1000 else 3


def print_table(columns: Sequence[str], rows: Sequence[Sequence[Any]], title: str = "") -> None:
    """Print rows as aligned columns (numbers right-aligned)."""
    if title:
        say(title)
    decimals = [column_decimals([r[i] for r in rows]) for i in range(len(columns))]
    texts = [[cell(v, d) for v, d in zip(row, decimals, strict=True)] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in texts]) for i, c in enumerate(columns)]
    numeric = [
        bool(rows) and all(isinstance(r[i], int | float) or r[i] is None for r in rows) for i in range(len(columns))
    ]

    def line(values: Sequence[str]) -> str:
        return "  ".join(
            v.rjust(w) if n else v.ljust(w) for v, w, n in zip(values, widths, numeric, strict=True)
        ).rstrip()

    say(line(list(columns)))
    for row in texts:
        say(line(row))


def plural(count: int, word: str) -> str:
    """``1 well``, ``2 wells``, ``1,024 rows``."""
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def field_words(code: int | None, name: str | None) -> str:
    """A well's field as a person reads it: its name, ``field 3420717`` when it has none, or ``no field``."""
    if name:
        return name
    return "no field" if code is None else f"field {code}"


def allocation_line(info: dict[str, Any], units: UnitSystem = FIELD) -> str:
    """A field's reported oil beside its wells' sum over the months that have both; empty when it has not both."""
    if not info.get("months_both"):
        return ""
    diff = info.get("oil_difference_pct")
    reported, summed = (info[units.name_of(k, "total", "oil")] or 0 for k in ("reported_oil", "wells_oil"))
    return (
        f"oil reported {reported:,.1f} · sum of wells {summed:,.1f} {units.label('total')} · "
        f"difference {'-' if diff is None else f'{diff:,.1f} %'} ({plural(info['months_both'], 'month')} with both)"
    )
