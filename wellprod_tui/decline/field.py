"""A field's decline: every well fitted at once, forecast from the end of the field's last month, and summed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from wellprod_tui import queries
from wellprod_tui.core.months import month_label
from wellprod_tui.decline import curves
from wellprod_tui.decline.analysis import (
    NO_DECLINE,
    SHUT_IN_MONTHS,
    DeclineError,
    Options,
    fit_rows,
    no_decline,
    with_default_dmin,
)
from wellprod_tui.decline.curves import ForecastMonth
from wellprod_tui.decline.fit import Fits
from wellprod_tui.decline.windows import FitWindow, build_fit_window, last_rate_below
from wellprod_tui.storage.connection import Connection


@dataclass(frozen=True)
class FittedWell:
    """One fitted well of a field: its curve (declines per year), fit window, and volumes."""

    well_code: int
    model: str
    qi: float
    b: float
    di_nominal: float
    di_secant: float
    di_tangent: float
    dmin_nominal: float | None
    #: Month indices of the fit's first and last month.
    fit_start: int
    fit_end: int
    points: int
    rmse_log: float
    cum_to_date: float
    remaining: float
    eur: float
    #: Days from the field's forecast start to the economic limit; None when the cap comes first.
    t_el_days: float | None


@dataclass(frozen=True)
class UnfittedWell:
    """A well of the field with no curve, why, and what it has produced."""

    well_code: int
    reason: str
    cum_to_date: float


@dataclass(frozen=True)
class FieldHistory:
    """A field's monthly records of one phase, read once (queries.decline_history's arrays)."""

    field_code: int
    phase: str
    data: dict[str, Any] = field(repr=False)


def read_field_history(con: Connection, code: int, phase: str) -> FieldHistory:
    """The field's wells' records of ``phase``; NotFound when there is no such field."""
    queries.field_info(con, code)
    return FieldHistory(code, phase, queries.decline_history(con, phase, field_code=code))


@dataclass(frozen=True)
class FieldDecline:
    """The field's monthly forecast (the sum of its wells'), each fitted well's figures, and the wells left out."""

    field_code: int
    options: Options
    #: Month index of the field's last month: the forecast starts after it.
    last_month: int
    months: list[str]
    rates: np.ndarray
    volumes: np.ndarray
    cum_to_date: float
    wells: list[FittedWell]
    unfitted: list[UnfittedWell]
    #: The field has no well records: its reported totals (field-level rows) are fitted as one series.
    reported_only: bool = False
    #: What the forecast took from defaults: "qel", "years" (config), "dmin" (some well's b >= 1).
    defaults: tuple[str, ...] = ()

    @property
    def remaining(self) -> float:
        """Volume still to come from the fitted wells."""
        return float(self.volumes.sum())

    @property
    def eur(self) -> float:
        """Cumulative to date plus the remaining volume."""
        return self.cum_to_date + self.remaining

    @property
    def next_12_months(self) -> float:
        """Volume of the forecast's first twelve months."""
        return float(self.volumes[:12].sum())

    @property
    def forecast_months(self) -> list[ForecastMonth]:
        """The monthly forecast as rows (month, rate, volume, cumulative from the forecast's start)."""
        cumulative = np.cumsum(self.volumes)
        return [ForecastMonth(m, float(r), float(v), float(c))
                for m, r, v, c in zip(self.months, self.rates, self.volumes, cumulative, strict=True)]


def field_decline(con: Connection, code: int, options: Options) -> FieldDecline:
    """Read a field's history and fit it (``fit_field``); NotFound when there is no such field."""
    options.check()
    return fit_field(read_field_history(con, code, options.phase), options)


def fit_field(history: FieldHistory, options: Options) -> FieldDecline:
    """Fit every well of a field and sum their forecasts; wells that cannot be fitted are listed with why."""
    options.check()
    if options.phase != history.phase:
        raise ValueError(f"a {history.phase} history cannot be fitted as {options.phase}")
    code, data = history.field_code, history.data
    window = build_fit_window(data, options.basis, options.from_month, options.to_month, options.rule)
    if not window.well_codes.size:
        raise DeclineError(f"field {code}: no records")
    last_month = int(np.max(data["month"]))
    if options.to_month is not None:
        last_month = min(last_month, options.to_month)
    reason = window.reason.astype(object)
    shut_in = (reason == "") & (window.last_used <= last_month - SHUT_IN_MONTHS)
    for row in np.flatnonzero(shut_in):
        reason[row] = f"no production since {month_label(int(window.last_used[row]))} (shut in)"
    rows = np.flatnonzero(reason == "")
    fits = fit_rows(window, options, rows)
    flat = no_decline(fits)
    reason[rows[flat]] = NO_DECLINE
    rows, fits = rows[~flat], _take(fits, ~flat)
    fits, took_dmin = with_default_dmin(fits, options)

    offset = (curves.month_start_days(last_month + 1) - curves.month_start_days(window.start[rows])).astype(float)
    t_el = curves.days_to_rate(options.qel, fits.qi, fits.d, fits.b, fits.dmin) - offset
    passed = last_rate_below(data, options.basis, window.end, options.qel)[rows]  # as a well's own answer
    t_el = np.where(passed, 0.0, t_el)
    horizon = np.where(t_el <= options.cap_days, np.maximum(t_el, 0.0), options.cap_days)
    ends, labels = curves.month_ends_after(last_month, options.years)
    ends = np.minimum(ends, options.cap_days)
    span = np.minimum(ends[None, :], horizon[:, None])
    args = (fits.qi[:, None], fits.d[:, None], fits.b[:, None], fits.dmin[:, None])
    cum = curves.cumulative(offset[:, None] + span, *args) - curves.cumulative(offset[:, None], *args)
    volumes = np.diff(cum, axis=1, prepend=0.0).sum(axis=0)
    keep = int(np.flatnonzero(volumes > 0).max()) + 1 if (volumes > 0).any() else 0
    days = np.diff(ends, prepend=0.0)
    rates = np.divide(volumes, days, out=np.zeros_like(volumes), where=days > 0)
    remaining = cum[:, -1] if cum.shape[1] else np.zeros(len(rows))
    return FieldDecline(
        field_code=code,
        options=options,
        last_month=last_month,
        months=labels[:keep],
        rates=rates[:keep],
        volumes=volumes[:keep],
        cum_to_date=float(window.cum_to_date.sum()),
        wells=_fitted_wells(window, rows, fits, remaining, t_el, horizon, options),
        unfitted=[UnfittedWell(int(window.well_codes[r]), str(reason[r]), float(window.cum_to_date[r]))
                  for r in np.flatnonzero(reason != "")],
        reported_only=bool(np.all(window.well_codes == code)),
        defaults=(*options.defaulted, *(("dmin",) if took_dmin.any() else ())),
    )


def _take(fits: Fits, keep: np.ndarray) -> Fits:
    return type(fits)(*(getattr(fits, name)[keep] for name in fits.__dataclass_fields__))


def _fitted_wells(window: FitWindow, rows: np.ndarray, fits: Fits, remaining: np.ndarray, t_el: np.ndarray,
                  horizon: np.ndarray, options: Options) -> list[FittedWell]:
    d_year = fits.d * curves.DAYS_PER_YEAR
    columns = (
        window.well_codes[rows].tolist(),
        fits.model.tolist(),
        fits.qi.tolist(),
        fits.b.tolist(),
        d_year.tolist(),
        curves.secant_from_nominal(d_year, fits.b).tolist(),
        curves.tangent_from_nominal(d_year).tolist(),
        [x if x > 0 else None for x in (fits.dmin * curves.DAYS_PER_YEAR).tolist()],
        window.start[rows].tolist(),
        window.end[rows].tolist(),
        fits.points.astype(int).tolist(),
        fits.rmse_log.tolist(),
        window.cum_to_date[rows].tolist(),
        remaining.tolist(),
        (window.cum_to_date[rows] + remaining).tolist(),
        [float(h) if t <= options.cap_days else None for t, h in zip(t_el, horizon, strict=True)],
    )
    return [FittedWell(*values) for values in zip(*columns, strict=True)]
