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

from wellprod_tui.core.settings import DeclineSettings
from wellprod_tui.decline.analysis import Options
from wellprod_tui.decline.batch import BatchHistory, BatchRow, fit_batch
from wellprod_tui.queries.decline import DECLINE_PHASE_COLUMNS
from wellprod_tui.queries.selection import Selection

#: One row per well of the frame: its curve (declines per year), fit window, volumes; ``reason`` says why a
#: well has no fit (empty when it has one). Spark's DDL, as applyInPandas takes it.
FIT_SCHEMA = (
    "well_code long, phase string, model string, qi double, b double, di_nominal double, dmin_nominal double, "
    "fit_start string, fit_end string, points long, rmse_log double, cum_to_date double, remaining double, "
    "eur double, limit_month string, flags string, reason string"
)
FIT_COLUMNS = tuple(part.split()[0] for part in FIT_SCHEMA.split(", "))


def fit_function(options: Options) -> Callable[[Any], Any]:
    """``wellprod_fit`` with other options (phase, model, basis, b, Dmin, window, limit, years)."""
    options.check()

    def fit(frame: Any) -> Any:
        return fit_frame(frame, options)

    return fit


def fit_frame(frame: Any, options: Options) -> Any:
    """Fit every well of a pandas frame of lake rows (any order); a pandas frame of FIT_COLUMNS. The wells go
    through ``decline.batch.fit_batch``, the same door as ``wellprod decline --all``, so each row is the one
    ``wellprod decline WELL`` gives (window rule, default Dmin, a limit already passed, QC flags)."""
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
    if not len(data["well_code"]):
        return pd.DataFrame({name: [] for name in FIT_COLUMNS}, columns=list(FIT_COLUMNS))
    batch = fit_batch(BatchHistory(Selection("all"), options.phase, data), options)
    table = {name: [_cell(row, name) for row in batch.rows] for name in FIT_COLUMNS}
    return pd.DataFrame(table, columns=list(FIT_COLUMNS))


def _cell(row: BatchRow, name: str) -> Any:
    """One column of a batch row as the schema types it (NaN for a number a well without a fit lacks)."""
    if name == "flags":
        return ";".join(row.flags)
    value = getattr(row, name)
    if name == "points":
        return int(value or 0)
    if name in _NUMBERS:
        return np.nan if value is None else float(value)
    return value


_NUMBERS = {"qi", "b", "di_nominal", "dmin_nominal", "rmse_log", "cum_to_date", "remaining", "eur"}


#: The first look ``wellprod decline WELL`` takes with no config ([decline] defaults: oil, auto model, calendar-day
#: rates, the default limit and Dmin, 30 years): ``applyInPandas(wellprod_fit, FIT_SCHEMA)``.
wellprod_fit = fit_function(Options.from_settings(DeclineSettings()))
