"""Wells made from known Arps curves, as records to import: a two-month ramp to the peak, then monthly averages of
the curve with lognormal noise and shut-in months. Shared by the decline tests and the benchmark."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from wellprod_tui.core.months import month_label
from wellprod_tui.decline import curves

FIELD_CODE = 4242
FIRST_MONTH = 2015 * 12  # 2015-01


@dataclass(frozen=True)
class Truth:
    """The curves the wells were made from (arrays, one entry per well; d and dmin nominal per day)."""

    well_codes: np.ndarray
    qi: np.ndarray
    d: np.ndarray
    b: np.ndarray
    dmin: np.ndarray
    #: Days from the curve's start (the peak month) to the end of the last month.
    end_days: np.ndarray
    #: Recorded volume (what the records hold).
    recorded: np.ndarray

    def eur(self, years: float = 30.0, qel: float = 0.0) -> np.ndarray:
        """Recorded volume plus what the true curve still gives after the last month."""
        cap = years * curves.DAYS_PER_YEAR
        t_el = curves.days_to_rate(qel, self.qi, self.d, self.b, self.dmin) - self.end_days
        horizon = np.where(t_el <= cap, np.maximum(t_el, 0), cap)
        args = (self.qi, self.d, self.b, self.dmin)
        return self.recorded + curves.cumulative(self.end_days + horizon, *args) - curves.cumulative(
            self.end_days, *args)


def make_wells(
    qi: np.ndarray, d_year: np.ndarray, b: np.ndarray, dmin_year: np.ndarray | None = None, months: int = 96,
    noise: float = 0.08, shut_in: float = 0.1, seed: int = 7, first_code: int = 1000,
) -> tuple[pl.DataFrame, Truth]:
    """Records of wells following the given curves (qi in kbd, declines nominal per year), and the truth."""
    rng = np.random.default_rng(seed)
    wells = len(qi)
    dmin = np.zeros(wells) if dmin_year is None else np.asarray(dmin_year) / curves.DAYS_PER_YEAR
    d = np.asarray(d_year) / curves.DAYS_PER_YEAR
    month = FIRST_MONTH + np.arange(months)
    starts = curves.month_start_days(month).astype(float)
    dim = (curves.month_start_days(month + 1) - curves.month_start_days(month)).astype(float)
    ramp = 2
    t0 = starts - starts[ramp]  # the curve starts at the peak month
    args = (qi[:, None], d[:, None], b[:, None], dmin[:, None])
    cum = curves.cumulative(np.maximum(t0 + dim, 0)[None, :], *args) - curves.cumulative(
        np.maximum(t0, 0)[None, :], *args)
    rate = cum / dim[None, :]
    rate[:, :ramp] = qi[:, None] * np.array([0.4, 0.75])[None, :]
    rate = rate * np.exp(rng.normal(0.0, noise, rate.shape))
    days = np.broadcast_to(dim, rate.shape).copy()
    off = rng.uniform(size=rate.shape) < shut_in
    off[:, : ramp + 1] = False
    off[:, -1] = False
    rate[off], days[off] = 0.0, 0.0
    codes = first_code + np.arange(wells)
    frame = pl.DataFrame({
        "field_code": np.full(wells * months, FIELD_CODE),
        "field_name": "SYNTHETIC",
        "well_code": np.repeat(codes, months),
        "well_reference": np.char.add("SYN-", np.repeat(codes, months).astype(str)),
        "well_name": np.char.add("SYN ", np.repeat(codes, months).astype(str)),
        "production_period": np.tile([month_label(int(m)) for m in month], wells),
        "days_on_production": days.ravel(),
        "oil_production_kbd": rate.ravel(),
        "gas_production_mmcfd": rate.ravel() * 0.8,
        "liquids_production_kbd": rate.ravel() * 1.3,
        "water_production_kbd": rate.ravel() * 0.3,
        "data_source": "synthetic",
        "source_data": "tests/decline_wells.py",
        "partition_0": "2015",
    })
    recorded = (rate * dim[None, :]).sum(axis=1)
    end_days = np.full(wells, starts[-1] + dim[-1] - starts[ramp])
    return frame, Truth(codes, np.asarray(qi, float), d, np.asarray(b, float), dmin, end_days, recorded)


def write_csv(frame: pl.DataFrame, path: Path) -> Path:
    """The records as a CSV file wellprod imports."""
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.write_csv(path)
    return path
