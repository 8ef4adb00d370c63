"""From monthly records to fit points: each well's window (peak or chosen start to last or chosen end), its
rate basis, the months left out (excluded, or single-month spikes) and why, and the figures a forecast starts
from. Vectorised over all rows at once."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from wellprod_tui.core.vocabulary import BASES
from wellprod_tui.decline.curves import Floats, month_start_days
from wellprod_tui.decline.fit import MIN_POINTS, QI_CAP_FACTOR, Points

_NO_MONTH = np.iinfo(np.int64).max


@dataclass(frozen=True)
class FitWindow:
    """Every well's fit window and points; arrays have one entry per well (sorted by code)."""

    well_codes: np.ndarray
    #: Month indices (year * 12 + month - 1) of the fit's first and last month; -1 where the well has none.
    start: np.ndarray
    end: np.ndarray
    #: Month index of the last month the fit uses; -1 where none.
    last_used: np.ndarray
    points: Points
    log_qi_cap: Floats
    #: Days from the start of the fit's first month to the end of its last: where the forecast begins.
    forecast_start_days: Floats
    #: Volume produced up to the end of the fit's last month (calendar rate × days in month).
    cum_to_date: Floats
    #: Why a well cannot be fitted; empty text when it can.
    reason: np.ndarray
    #: Per record row: why the fit leaves the month out ("excluded", "spike"), empty text otherwise.
    left_out: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype="<U8"))
    #: Month index of the peak a single-month spike would have made the window's start; -1 where none did.
    spike_start: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    @property
    def fittable(self) -> np.ndarray:
        """Rows of the wells that have enough points."""
        return np.flatnonzero(self.reason == "")


def days_in_month(month: np.ndarray) -> np.ndarray:
    """Calendar days of each month index."""
    return month_start_days(month + 1) - month_start_days(month)


def basis_rate(rate: Floats, days: Floats, month: np.ndarray, basis: str) -> Floats:
    """The rate a fit uses: calendar-day as stored, or producing-day (rate × days in month / days on production)."""
    if basis not in BASES:
        raise ValueError(f"rate basis must be one of {', '.join(BASES)}, not {basis!r}")
    if basis == "calendar":
        return rate
    dim = days_in_month(month)
    on = np.minimum(days, dim)
    return np.divide(rate * dim, on, out=np.full_like(rate, np.nan), where=on > 0)


def usable(rate: Floats, days: Floats) -> np.ndarray:
    """Months a fit can use: a positive rate, and producing days unless they are unknown."""
    return np.isfinite(rate) & (rate > 0) & ~(days <= 0)


@dataclass(frozen=True)
class WindowRule:
    """How the window's start is found and which months are left out.

    The peak is taken among months with at least ``min_peak_days`` producing days (unknown days count); a month
    whose ln rate stands more than ln ``spike_factor`` above both neighbours (the two after it for a well's first
    month) is a spike, left out (0: no spikes). ``exclude`` holds month indices left out of every well's fit.
    """

    min_peak_days: float = 0.0
    spike_factor: float = 0.0
    exclude: tuple[int, ...] = ()
    #: Months kept even when they are spikes.
    keep: tuple[int, ...] = ()


OLD_RULE = WindowRule()


def spikes(well: np.ndarray, q: Floats, valid: np.ndarray, factor: float) -> np.ndarray:
    """Rows that are single-month spikes among the ``valid`` rows of each well (rows sorted by well and month)."""
    out = np.zeros(len(q), dtype=bool)
    rows = np.flatnonzero(valid)
    if factor <= 1 or rows.size < 3:
        return out
    lq, w = np.log(q[rows]), well[rows]
    threshold = np.log(factor)

    def shifted(k: int) -> Floats:  # ln q of the k-th valid month after (k > 0) or before, -inf past the well
        got = np.full(rows.size, -np.inf)
        if k > 0:
            same = w[k:] == w[:-k]
            got[:-k] = np.where(same, lq[k:], -np.inf)
        else:
            same = w[:k] == w[-k:]
            got[-k:] = np.where(same, lq[:k], -np.inf)
        return got

    before, after, after2 = shifted(-1), shifted(1), shifted(2)
    inner = np.isfinite(before) & np.isfinite(after) & (lq - np.maximum(before, after) > threshold)
    first = ~np.isfinite(before) & np.isfinite(after2) & (lq - np.maximum(after, after2) > threshold)
    out[rows[inner | first]] = True
    return out


def build_fit_window(data: dict[str, Any], basis: str, from_month: int | None = None,
                     to_month: int | None = None, rule: WindowRule = OLD_RULE) -> FitWindow:
    """The fit windows of every well in ``data`` (queries.decline_history's arrays, sorted by well and month)."""
    codes_all, month = np.asarray(data["well_code"]), np.asarray(data["month"], dtype=np.int64)
    days, rate = np.asarray(data["days"], dtype=float), np.asarray(data["rate"], dtype=float)
    n = len(codes_all)
    heads = np.flatnonzero(np.r_[True, codes_all[1:] != codes_all[:-1]]) if n else np.zeros(0, dtype=np.int64)
    codes = codes_all[heads]
    wells = len(codes)
    if wells == 0:
        return _empty()
    well = np.cumsum(np.r_[False, codes_all[1:] != codes_all[:-1]])
    last = month[np.r_[heads[1:] - 1, n - 1]]
    end = np.minimum(last, to_month) if to_month is not None else last
    q = basis_rate(rate, days, month, basis)
    valid = usable(q, days) & (month <= end[well])
    if from_month is not None:
        valid &= month >= from_month
    excluded = np.isin(month, np.asarray(rule.exclude, dtype=np.int64)) & valid
    spike = spikes(well, q, valid & ~excluded, rule.spike_factor) & ~np.isin(month, np.asarray(rule.keep, np.int64))
    left_out = np.where(excluded, "excluded", np.where(spike, "spike", ""))
    naive_start = _peak_start(q, month, valid, well, heads)
    valid &= ~(excluded | spike)
    if from_month is not None:
        start = _group_min(np.where(valid, month, _NO_MONTH), heads)
    else:  # the peak: the first month with the highest rate among months with enough producing days
        enough = valid & ~(days < rule.min_peak_days)
        has_enough = np.add.reduceat(enough.astype(np.int64), heads) > 0
        start = _peak_start(q, month, np.where(has_enough[well], enough, valid), well, heads)
    spike_first = np.add.reduceat((spike & (month == naive_start[well])).astype(np.int64), heads) > 0
    moved = (from_month is None) & spike_first & (naive_start != start)
    used = valid & (month >= start[well])
    count = np.add.reduceat(used.astype(np.int64), heads)
    found = start != _NO_MONTH
    start = np.where(found, start, -1)
    span = int((end - start + 1)[found].max()) if found.any() else 1
    column = np.where(used, month - start[well], 0)
    t = np.zeros((wells, span))
    log_q = np.zeros((wells, span))
    weight = np.zeros((wells, span))
    start_days = month_start_days(np.maximum(start, 0))
    rows = np.flatnonzero(used)
    t[well[rows], column[rows]] = (month_start_days(month[rows]) - start_days[well[rows]]
                                   + days_in_month(month[rows]) / 2.0)
    log_q[well[rows], column[rows]] = np.log(q[rows])
    weight[well[rows], column[rows]] = 1.0
    q_max = np.maximum.reduceat(np.where(used, q, 0.0), heads)
    volume = np.where(np.isfinite(rate) & (month <= end[well]), rate, 0.0) * days_in_month(month)
    reason = np.where(count >= MIN_POINTS, "", np.where(
        count == 0, "no months with production in the fit window",
        np.char.add(count.astype(str), f" producing months in the fit window ({MIN_POINTS} needed)")))
    return FitWindow(
        well_codes=codes,
        start=start,
        end=np.where(found, end, -1),
        last_used=np.where(found, np.maximum.reduceat(np.where(used, month, -1), heads), -1),
        points=Points(t, log_q, weight),
        log_qi_cap=np.log(np.maximum(q_max, 1e-300) * QI_CAP_FACTOR),
        forecast_start_days=(month_start_days(end + 1) - start_days).astype(float),
        cum_to_date=np.add.reduceat(volume, heads),
        reason=reason,
        left_out=left_out,
        spike_start=np.where(moved, naive_start, -1),
    )


def _peak_start(q: Floats, month: np.ndarray, candidates: np.ndarray, well: np.ndarray,
                heads: np.ndarray) -> np.ndarray:
    """Each well's first month with the highest rate among ``candidates`` (_NO_MONTH where none)."""
    peak = np.maximum.reduceat(np.where(candidates, q, -np.inf), heads)
    return _group_min(np.where(candidates & (q == peak[well]), month, _NO_MONTH), heads)


def _group_min(values: np.ndarray, heads: np.ndarray) -> np.ndarray:
    return np.minimum.reduceat(values, heads)


def _empty() -> FitWindow:
    none = np.zeros(0)
    return FitWindow(np.zeros(0, dtype=np.int64), none.astype(np.int64), none.astype(np.int64), none.astype(np.int64),
                  Points(np.zeros((0, 1)), np.zeros((0, 1)), np.zeros((0, 1))), none, none, none,
                  np.zeros(0, dtype="<U1"))


def last_rate_below(data: dict[str, Any], basis: str, end: np.ndarray, qel: float) -> np.ndarray:
    """Per well (as ``build_fit_window`` orders them): whether its rate in its last month up to ``end`` is below
    the limit ``qel`` (no rate counts as 0): the limit is already passed. All False when there is no limit."""
    codes, month = np.asarray(data["well_code"]), np.asarray(data["month"], dtype=np.int64)
    n = len(codes)
    if n == 0 or qel <= 0:
        return np.zeros(len(end), dtype=bool)
    heads = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    well = np.cumsum(np.r_[False, codes[1:] != codes[:-1]])
    q = np.nan_to_num(basis_rate(np.asarray(data["rate"], float), np.asarray(data["days"], float), month, basis))
    last_row = np.maximum.reduceat(np.where(month <= end[well], np.arange(n), -1), heads)
    return (last_row >= 0) & (q[np.maximum(last_row, 0)] < qel)
