"""The decline fit on a pandas frame of many wells, for Spark's ``applyInPandas`` (and any pandas user):

    from wellprod_tui.decline.spark import FIT_SCHEMA, wellprod_fit
    lake = spark.read.parquet("lake/")                       # wellprod export --parquet lake/
    fits = (lake.withColumn("bucket", F.abs(F.hash("well_code")) % 64)
                .groupBy("bucket").applyInPandas(wellprod_fit, FIT_SCHEMA))

Buckets of wells, not one group per well: the fit is vectorised over the wells of a frame. The rows are the
lake's (well_code, production_period, days_on_production and the phase's rate); each well's answer is the one
``wellprod decline WELL`` gives with the same options. Needs pandas (the spark extra), never Textual."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from wellprod_tui.core.months import month_label
from wellprod_tui.decline import curves
from wellprod_tui.decline.analysis import NO_DECLINE, Options, fit_rows, no_decline
from wellprod_tui.decline.windows import build_fit_window
from wellprod_tui.queries.decline import DECLINE_PHASE_COLUMNS

#: One row per well of the frame: its curve (declines per year), fit window, volumes; ``reason`` says why a
#: well has no fit (empty when it has one). Spark's DDL, as applyInPandas takes it.
FIT_SCHEMA = (
    "well_code long, phase string, model string, qi double, b double, di_nominal double, dmin_nominal double, "
    "fit_start string, fit_end string, points long, rmse_log double, cum_to_date double, remaining double, "
    "eur double, reason string"
)
FIT_COLUMNS = tuple(part.split()[0] for part in FIT_SCHEMA.split(", "))


def fit_function(options: Options) -> Callable[[Any], Any]:
    """``wellprod_fit`` with other options (phase, model, basis, b, Dmin, window, limit, years)."""
    options.check()

    def fit(frame: Any) -> Any:
        return fit_frame(frame, options)

    return fit


def fit_frame(frame: Any, options: Options) -> Any:
    """Fit every well of a pandas frame of lake rows (any order); a pandas frame of FIT_COLUMNS."""
    import pandas as pd

    column = DECLINE_PHASE_COLUMNS[options.phase]
    rows = frame.sort_values(["well_code", "production_period"], kind="stable")
    period = pd.to_datetime(rows["production_period"])
    data = {
        "well_code": rows["well_code"].to_numpy(dtype=np.int64),
        "month": (period.dt.year * 12 + period.dt.month - 1).to_numpy(dtype=np.int64),
        "days": rows["days_on_production"].to_numpy(dtype=float, na_value=np.nan),
        "rate": rows[column].to_numpy(dtype=float, na_value=np.nan),
    }
    window = build_fit_window(data, options.basis, options.from_month, options.to_month)
    wells = len(window.well_codes)
    reason = window.reason.astype(object)
    fitted = np.flatnonzero(reason == "")
    fits = fit_rows(window, options, fitted)
    reason[fitted[no_decline(fits)]] = NO_DECLINE
    nan = np.full(wells, np.nan)
    qi, b, d, dmin, points, rmse = (nan.copy() for _ in range(6))
    model = np.full(wells, None, dtype=object)
    qi[fitted], b[fitted], d[fitted], dmin[fitted] = fits.qi, fits.b, fits.d, fits.dmin
    points[fitted], rmse[fitted], model[fitted] = fits.points, fits.rmse_log, fits.model
    start = window.forecast_start_days
    t_el = curves.days_to_rate(options.qel, qi, d, b, dmin) - start
    horizon = np.where(np.isfinite(t_el) & (t_el <= options.cap_days), np.maximum(t_el, 0.0), options.cap_days)
    remaining = curves.cumulative(start + horizon, qi, d, b, dmin) - curves.cumulative(start, qi, d, b, dmin)
    ok = reason == ""
    return pd.DataFrame({
        "well_code": window.well_codes.astype(np.int64),
        "phase": options.phase,
        "model": model,
        "qi": np.where(ok, qi, np.nan),
        "b": np.where(ok, b, np.nan),
        "di_nominal": np.where(ok, d * curves.DAYS_PER_YEAR, np.nan),
        "dmin_nominal": np.where(ok & (dmin > 0), dmin * curves.DAYS_PER_YEAR, np.nan),
        "fit_start": [month_label(int(m)) if m >= 0 else None for m in window.start],
        "fit_end": [month_label(int(m)) if m >= 0 else None for m in window.end],
        "points": np.where(ok, points, 0).astype(np.int64),
        "rmse_log": np.where(ok, rmse, np.nan),
        "cum_to_date": window.cum_to_date,
        "remaining": np.where(ok, remaining, np.nan),
        "eur": np.where(ok, window.cum_to_date + remaining, np.nan),
        "reason": reason.astype(str),
    }, columns=list(FIT_COLUMNS))


#: The default fit (oil, auto model, calendar-day rates, no limit, 30 years): ``applyInPandas(wellprod_fit, ...)``.
wellprod_fit = fit_function(Options())
