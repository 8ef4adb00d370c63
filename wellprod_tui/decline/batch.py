"""A batch decline: every well of a selection read in one query, fitted at once (decline.fit), and each forecast
from the end of its own fit window, as ``wellprod decline WELL`` forecasts it: one row per well, the same figures.

Rows hold declines per year and the phase's units; the monthly forecasts of all wells are one long table.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from wellprod_tui import queries
from wellprod_tui.core.months import month_label
from wellprod_tui.decline import curves, qc
from wellprod_tui.decline.analysis import NO_DECLINE, DeclineError, Options, fit_rows, no_decline, with_default_dmin
from wellprod_tui.decline.curves import Curve
from wellprod_tui.decline.fit import Fits
from wellprod_tui.decline.windows import FitWindow, basis_rate, build_fit_window, usable
from wellprod_tui.queries.selection import Selection, unmatched_codes
from wellprod_tui.storage.connection import Connection

if TYPE_CHECKING:
    import polars as pl

NO_SUCH_WELL = "no such well"
#: Wells fitted together at most (see ``_fit_in_chunks``).
CHUNK_WELLS = 1000


@dataclass(frozen=True)
class BatchHistory:
    """A selection's monthly records of one phase, read once (queries.decline_history's arrays), and the typed
    codes of the selection that name no well."""

    selection: Selection
    phase: str
    data: dict[str, Any] = field(repr=False)
    unmatched: tuple[str, ...] = ()


def read_batch_history(con: Connection, selection: Selection, phase: str) -> BatchHistory:
    """Every selected well's records of ``phase`` in one query."""
    data = queries.decline_history(con, phase, selection=selection)
    return BatchHistory(selection, phase, data, tuple(unmatched_codes(con, selection)))


@dataclass(frozen=True)
class BatchRow:
    """One well's fit and forecast (declines per year, the phase's units); ``reason`` says why it has no fit."""

    well_code: int | str
    phase: str
    model: str | None
    qi: float | None
    di_nominal: float | None
    di_secant: float | None
    di_tangent: float | None
    b: float | None
    dmin_nominal: float | None
    fit_start: str | None
    fit_end: str | None
    points: int
    rmse_log: float | None
    cum_to_date: float
    remaining: float | None
    eur: float | None
    #: YYYY-MM of the month the rate reaches the economic limit; None when the cap comes first.
    limit_month: str | None
    reason: str = ""
    #: QC flags of the fit (decline.qc): short names, and a sentence each.
    flags: tuple[str, ...] = ()
    flag_sentences: tuple[str, ...] = ()
    #: YYYY-MM-DD the well's fit in force was saved (``decline WELL --save``); None: fitted with the table's options.
    saved_on: str | None = None


@dataclass(frozen=True)
class _Fitted:
    """The fitted wells' curves and where each forecast starts (arrays over the fitted rows)."""

    rows: np.ndarray
    fits: Fits
    start_days: np.ndarray
    horizon: np.ndarray
    remaining: np.ndarray
    t_el: np.ndarray


@dataclass(frozen=True)
class BatchDecline:
    """Every selected well's row (fitted or not, by well code), and the forecasts behind them."""

    options: Options
    label: str
    rows: list[BatchRow]
    window: FitWindow = field(repr=False)
    fitted: _Fitted = field(repr=False)
    #: Tables fitted with other options (saved fits) whose rows are merged into ``rows``.
    parts: tuple[BatchDecline, ...] = field(default=(), repr=False)

    @property
    def fitted_count(self) -> int:
        """How many wells have a fit."""
        return int(self.fitted.rows.size) + sum(p.fitted_count for p in self.parts)

    def monthly(self) -> pl.DataFrame:
        """Every fitted well's monthly forecast, as ``decline WELL`` gives it: well_code, month, rate, volume,
        cumulative (from the forecast's start)."""
        frame = _monthly(self.window, self.fitted, self.options)
        if not self.parts:
            return frame
        import polars as pl  # noqa: PLC0415

        frames = [frame, *(p.monthly() for p in self.parts)]
        return pl.concat(frames).sort("well_code", maintain_order=True)

    def without_fits(self) -> BatchDecline:
        """This table's rows with none of its own forecasts (a table of saved fits only: its parts hold them)."""
        f = self.fitted
        fits = Fits(*(getattr(f.fits, n)[:0] for n in Fits.__dataclass_fields__))
        return replace(self, fitted=_Fitted(f.rows[:0], fits, f.start_days[:0], f.horizon[:0], f.remaining[:0],
                                            f.t_el[:0]))


def fit_batch(history: BatchHistory, options: Options) -> BatchDecline:
    """Fit every well of the selection and forecast each from the end of its fit window; DeclineError when the
    selection has no wells."""
    options.check()
    if options.phase != history.phase:
        raise ValueError(f"a {history.phase} history cannot be fitted as {options.phase}")
    window = build_fit_window(history.data, options.basis, options.from_month, options.to_month, options.rule)
    if not window.well_codes.size and not history.unmatched:
        raise DeclineError(f"{history.selection.label}: no wells with records")
    reason = window.reason.astype(object)
    rows = window.fittable
    fits = _fit_in_chunks(window, options, rows)
    flat = no_decline(fits)
    reason[rows[flat]] = NO_DECLINE
    rows, fits = rows[~flat], Fits(*(getattr(fits, n)[~flat] for n in Fits.__dataclass_fields__))
    fits, _ = with_default_dmin(fits, options)
    start = window.forecast_start_days[rows]
    args = (fits.qi, fits.d, fits.b, fits.dmin)
    t_el = curves.days_to_rate(options.qel, *args) - start
    limited = np.isfinite(t_el) & (t_el <= options.cap_days)
    horizon = np.where(limited, np.maximum(t_el, 0.0), options.cap_days)
    remaining = curves.cumulative(start + horizon, *args) - curves.cumulative(start, *args)
    history_of = _HistoryRows(history.data, options.basis, window)
    passed = history_of.limits_passed(rows, fits, options.qel)
    gone = np.array([p is not None for p in passed], dtype=bool)
    horizon, remaining = np.where(gone, 0.0, horizon), np.where(gone, 0.0, remaining)
    fitted = _Fitted(rows, fits, start, horizon, remaining,
                     np.where(limited & ~gone, np.maximum(t_el, 0.0), np.nan))
    flags = history_of.flags(fitted, passed, options)
    table = _rows(window, fitted, reason, options, passed, flags)
    table += [_unfitted(code, options.phase, None, None, 0.0, NO_SUCH_WELL) for code in history.unmatched]
    return BatchDecline(options, history.selection.label, table, window, fitted)


def _fit_in_chunks(window: FitWindow, options: Options, rows: np.ndarray) -> Fits:
    """``fit_rows`` a chunk of wells at a time: each well's fit is its own row's arithmetic, so chunks change
    nothing but speed (a chunk's arrays stay in the CPU's cache: 5,000 wells fit 2.5 times faster)."""
    parts = [fit_rows(window, options, chunk) for chunk in np.array_split(rows, max(1, -(-rows.size // CHUNK_WELLS)))]
    return Fits(*(np.concatenate([getattr(f, n) for f in parts]) for n in Fits.__dataclass_fields__))


def batch_decline(con: Connection, selection: Selection, options: Options) -> BatchDecline:
    """Read a selection's histories (``read_batch_history``) and fit them (``fit_batch``)."""
    options.check()
    return fit_batch(read_batch_history(con, selection, options.phase), options)


def months_after(month: np.ndarray, days: np.ndarray) -> list[str | None]:
    """YYYY-MM of the day ``days`` after the start of each ``month`` (None where days is NaN)."""
    known = np.isfinite(days)
    day = curves.month_start_days(month) + np.floor(np.where(known, days, 0.0)).astype(np.int64)
    moment = day.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) + 1970 * 12
    return [month_label(int(m)) if k else None for m, k in zip(moment, known, strict=True)]


class _HistoryRows:
    """The selection's records by well (the window's order), for what each fit says of its own history."""

    def __init__(self, data: dict[str, Any], basis: str, window: FitWindow) -> None:
        self.months = np.asarray(data["month"], dtype=np.int64)
        codes = np.asarray(data["well_code"])
        self.rates = basis_rate(np.asarray(data["rate"], float), np.asarray(data["days"], float), self.months, basis)
        self.days = np.asarray(data["days"], float)
        self.heads = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]]) if len(codes) else np.zeros(0, int)
        self.tails = np.r_[self.heads[1:], len(codes)]
        self.window = window

    def limits_passed(self, rows: np.ndarray, fits: Fits, qel: float) -> list[str | None]:
        """Per fitted well: YYYY-MM the limit was reached in before its forecast starts, as limits.limit_passed
        says it for one well: the first of the last months all below it, else where the curve crossed it."""
        if qel <= 0 or not rows.size:
            return [None] * rows.size
        w, n = self.window, len(self.months)
        row_well = np.repeat(np.arange(len(self.heads)), self.tails - self.heads)
        upto, below, index = self.months <= w.end[row_well], np.nan_to_num(self.rates) < qel, np.arange(n)
        last = np.maximum.reduceat(np.where(upto, index, -1), self.heads)[rows]
        above = np.maximum.reduceat(np.where(upto & ~below, index, -1), self.heads)[rows]
        ends_below = (last >= 0) & below[np.maximum(last, 0)]
        first = np.where(above >= 0, above + 1, self.heads[rows])
        t_reach = curves.days_to_rate(qel, fits.qi, fits.d, fits.b, fits.dmin)
        crossed = months_after(w.start[rows], np.where(t_reach < w.forecast_start_days[rows], t_reach, np.nan))
        return [month_label(int(self.months[f])) if e else c
                for e, f, c in zip(ends_below.tolist(), first.tolist(), crossed, strict=True)]

    def flags(self, fitted: _Fitted, passed: list[str | None], options: Options) -> list[tuple[qc.Flag, ...]]:
        """Per fitted well: the QC flags ``decline WELL`` raises."""
        w, f = self.window, fitted.fits
        row_well = np.repeat(np.arange(len(self.heads)), self.tails - self.heads)
        used = (usable(self.rates, self.days) & (self.months >= w.start[row_well]) & (self.months <= w.end[row_well])
                & (w.left_out == ""))
        last = np.maximum.reduceat(np.where(used, np.arange(len(used)), -1), self.heads) if len(used) else used
        first_end = (curves.month_start_days(w.end[fitted.rows] + 2)
                     - curves.month_start_days(w.end[fitted.rows] + 1)).astype(float)
        span = np.minimum(first_end, fitted.horizon)
        args = (f.qi, f.d, f.b, f.dmin)
        volume = curves.cumulative(fitted.start_days + span, *args) - curves.cumulative(fitted.start_days, *args)
        first_rate = np.divide(volume, span, out=np.zeros_like(volume), where=span > 0)
        found = []
        for i, r in enumerate(fitted.rows.tolist()):
            model = Curve(float(f.qi[i]), float(f.d[i]), float(f.b[i]), float(f.dmin[i])).model
            seen = qc.Seen(
                qi=float(f.qi[i]), qi_cap=float(np.exp(w.log_qi_cap[r])), qi_locked=options.qi_fixed is not None,
                b=float(f.b[i]), b_searched=options.fixed_b is None and model in ("hyperbolic", "modified"),
                dmin=float(f.dmin[i]), points=int(f.points[i]), rmse_log=float(f.rmse_log[i]),
                spike_start=int(w.spike_start[r]), limit_passed=passed[i],
                first_forecast_rate=float(first_rate[i]) if passed[i] is None and volume[i] > 0 else None,
                last_fitted_rate=float(self.rates[last[r]]) if last[r] >= 0 else None)
            found.append(qc.flags(seen, options.qc))
        return found


def _rows(window: FitWindow, fitted: _Fitted, reason: np.ndarray, options: Options, passed: list[str | None],
          flags: list[tuple[qc.Flag, ...]]) -> list[BatchRow]:
    """One row per well of the window, fitted or not, in the order of their codes."""
    fits, rows = fitted.fits, fitted.rows
    d_year = fits.d * curves.DAYS_PER_YEAR
    limit = [p or m for p, m in zip(passed, months_after(window.end[rows] + 1, fitted.t_el), strict=True)]
    starts = [month_label(int(m)) if m >= 0 else None for m in window.start.tolist()]
    ends = [month_label(int(m)) if m >= 0 else None for m in window.end.tolist()]
    curve = dict(zip(rows.tolist(), zip(
        fits.model.tolist(), fits.qi.tolist(), d_year.tolist(), curves.secant_from_nominal(d_year, fits.b).tolist(),
        curves.tangent_from_nominal(d_year).tolist(), fits.b.tolist(),
        [x if x > 0 else None for x in (fits.dmin * curves.DAYS_PER_YEAR).tolist()],
        fits.points.astype(int).tolist(), fits.rmse_log.tolist(), fitted.remaining.tolist(), limit, flags,
        strict=True), strict=True))
    cum = window.cum_to_date.tolist()
    table = []
    for i, code in enumerate(window.well_codes.tolist()):
        found = curve.get(i)
        if found is None:
            table.append(_unfitted(code, options.phase, starts[i], ends[i], cum[i], str(reason[i])))
            continue
        model, qi, di, sec, tan, b, dmin, points, rmse, remaining, limit_month, raised = found
        table.append(BatchRow(code, options.phase, model, qi, di, sec, tan, b, dmin, starts[i], ends[i], points,
                              rmse, cum[i], remaining, cum[i] + remaining, limit_month, "",
                              tuple(flag.name for flag in raised), tuple(flag.sentence for flag in raised)))
    return table


def _unfitted(code: int | str, phase: str, start: str | None, end: str | None, cum: float, reason: str
              ) -> BatchRow:
    return BatchRow(code, phase, model=None, qi=None, di_nominal=None, di_secant=None, di_tangent=None, b=None,
                    dmin_nominal=None, fit_start=start, fit_end=end, points=0, rmse_log=None, cum_to_date=cum,
                    remaining=None, eur=None, limit_month=None, reason=reason)


def _monthly(window: FitWindow, fitted: _Fitted, options: Options) -> pl.DataFrame:
    """The monthly forecasts as ``curves.forecast`` cuts them: whole calendar months from each well's last fit
    month, the last one holding the limit or the cap; months that add nothing left out."""
    count = int(np.ceil(options.years * 12)) + 1
    end = window.end[fitted.rows]
    after = end[:, None] + 1 + np.arange(count + 1)[None, :]
    days = curves.month_start_days(after)
    ends = np.minimum((days[:, 1:] - days[:, :1]).astype(float), fitted.horizon[:, None])
    keep = (ends < fitted.horizon[:, None]).sum(axis=1) + 1
    f = fitted.fits
    args = (f.qi[:, None], f.d[:, None], f.b[:, None], f.dmin[:, None])
    start = fitted.start_days[:, None]
    cum = curves.cumulative(start + ends, *args) - curves.cumulative(start, *args)
    volumes = np.diff(cum, axis=1, prepend=0.0)
    spans = np.diff(ends, axis=1, prepend=0.0)
    rates = np.divide(volumes, spans, out=np.zeros_like(volumes), where=spans > 0)
    import polars as pl  # noqa: PLC0415  (only the monthly forecasts need it: the table starts faster)

    shown = (np.arange(count)[None, :] < keep[:, None]) & ((cum > 0) | (volumes > 0))
    month = after[:, :-1][shown]
    frame = pl.DataFrame({
        "well_code": np.broadcast_to(window.well_codes[fitted.rows][:, None], shown.shape)[shown],
        "month": month, "rate": rates[shown], "volume": volumes[shown], "cumulative": cum[shown],
    })
    year, number = pl.col("month") // 12, pl.col("month") % 12 + 1
    return frame.with_columns(month=pl.format("{}-{}", year.cast(pl.String).str.zfill(4),
                                              number.cast(pl.String).str.zfill(2)))
