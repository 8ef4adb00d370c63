"""A time window: the months from ``first`` to ``last`` (either open). Totals, cumulative figures, charts,
tables and exports follow it; cumulative figures of a window that starts late count from its first month."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date


class WindowError(ValueError):
    """A month that is not YYYY-MM, or a window that ends before it starts."""


_MONTH = re.compile(r"\s*(\d{4})-(\d{1,2})(?:-01)?\s*|\s*(\d{4})(\d{2})\s*")


def parse_month(text: str, option: str = "month") -> date:
    """``2022-01``, ``2022-01-01`` or ``202201`` -> date(2022, 1, 1); WindowError naming ``option`` otherwise."""
    found = _MONTH.fullmatch(text or "")
    year, month = (int(found.group(1) or found.group(3)), int(found.group(2) or found.group(4))) if found else (0, 0)
    if not 1 <= month <= 12 or year < 1:
        raise WindowError(f"{option}: {text!r} is not a month written YYYY-MM (e.g. 2022-01), YYYY-MM-01 or YYYYMM")
    return date(year, month, 1)


def month_index(value: date) -> int:
    """A month as its index, months since year 0 (year * 12 + month - 1): what decline arrays count in."""
    return value.year * 12 + value.month - 1


def month_of_index(index: int) -> date:
    """The first day of the month with index ``index`` (year * 12 + month - 1)."""
    return date(index // 12, index % 12 + 1, 1)


def parse_month_index(text: str, option: str = "month") -> int:
    """A month text (as ``parse_month`` reads it) as a month index; WindowError naming ``option`` otherwise."""
    return month_index(parse_month(text, option))


#: The most months a list of months may name (a typo like 2019-01..9019-01 would name 84,000).
MAX_LISTED_MONTHS = 1200


def parse_month_list(text: str, option: str = "months") -> tuple[int, ...]:
    """``2019-03,2019-05..2019-07`` as sorted month indices (months and ranges, comma-separated); WindowError
    naming ``option`` otherwise. An empty text names none."""
    found: set[int] = set()
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        first, _, last = part.partition("..")
        low = parse_month_index(first.strip(), option)
        high = parse_month_index(last.strip(), option) if last.strip() else low
        if high < low:
            raise WindowError(f"{option}: {part!r} ends before it starts")
        found.update(range(low, high + 1))
        if len(found) > MAX_LISTED_MONTHS:
            raise WindowError(f"{option}: more than {MAX_LISTED_MONTHS} months")
    return tuple(sorted(found))


def month_list_text(months: tuple[int, ...]) -> str:
    """Month indices as ``parse_month_list`` reads them, runs of months as ranges: ``2019-03,2019-05..2019-07``."""
    runs: list[list[int]] = []
    for m in sorted(months):
        if runs and m == runs[-1][1] + 1:
            runs[-1][1] = m
        else:
            runs.append([m, m])
    return ",".join(month_label(a) if a == b else f"{month_label(a)}..{month_label(b)}" for a, b in runs)


def month_label(index: int) -> str:
    """``YYYY-MM`` of a month index."""
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_text(value: date) -> str:
    """date(2022, 1, 1) -> ``2022-01``."""
    return f"{value.year:04d}-{value.month:02d}"


@dataclass(frozen=True)
class Window:
    """The months ``first`` .. ``last`` (first days of months; None: open on that side)."""

    first: date | None = None
    last: date | None = None

    def __post_init__(self) -> None:
        if self.first and self.last and self.last < self.first:
            raise WindowError(f"the window ends ({month_text(self.last)}) before it starts ({month_text(self.first)})")

    @classmethod
    def parse(cls, first: str | None, last: str | None, names: tuple[str, str] = ("--from", "--to")) -> Window:
        """The window from its first and last month (YYYY-MM, either may be None or empty); an error names the
        bound as the shell calls it (``names``: the CLI's options, the app's words)."""
        return cls(parse_month(first, names[0]) if first else None, parse_month(last, names[1]) if last else None)

    @classmethod
    def last_months(cls, months: int, latest: date) -> Window:
        """The ``months`` months that end with ``latest``'s month."""
        return cls(month_of_index(month_index(latest) - (months - 1)), date(latest.year, latest.month, 1))

    @property
    def is_all(self) -> bool:
        """Whether every month is in."""
        return self.first is None and self.last is None

    @property
    def starts_late(self) -> bool:
        """Whether the window leaves early months out (its cumulative figures count from its first month)."""
        return self.first is not None

    def where(self, column: str = "production_period") -> str:
        """SQL condition on a month column (``true`` for all months); dates are ours, written as literals."""
        parts = [f"{column} >= DATE '{self.first.isoformat()}'"] if self.first else []
        parts += [f"{column} <= DATE '{self.last.isoformat()}'"] if self.last else []
        return " AND ".join(parts) or "true"

    def overlaps(self, first: str = "first_period", last: str = "last_period") -> str:
        """SQL condition: a span ``first`` .. ``last`` (month columns) shares a month with the window."""
        return Window(None, self.last).where(first) + " AND " + Window(self.first, None).where(last)

    @property
    def label(self) -> str:
        """``2022-01 .. 2023-12``, ``from 2022-01``, ``to 2023-12`` or ``all months``."""
        if self.first and self.last:
            return f"{month_text(self.first)} .. {month_text(self.last)}"
        if self.first:
            return f"from {month_text(self.first)}"
        return f"to {month_text(self.last)}" if self.last else "all months"

    @property
    def slug(self) -> str:
        """For names of views and files: ``-2022-01-2023-12``, ``-from-2022-01``, ``-to-2023-12`` or empty."""
        if self.is_all:
            return ""
        return "-" + self.label.replace(" .. ", "-").replace(" ", "-")

    def cumulative(self, name: str) -> str:
        """A cumulative column's name: ``cum_oil_kbbl``, or ``window_cum_oil_kbbl`` when the window starts late."""
        return f"window_{name}" if self.starts_late else name

    def as_json(self) -> dict[str, str | None]:
        """``{"from": "2022-01", "to": "2023-12"}`` (None where open)."""
        return {
            "from": month_text(self.first) if self.first else None,
            "to": month_text(self.last) if self.last else None,
        }


ALL = Window()
