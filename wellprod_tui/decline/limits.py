"""Where a forecast ends and what it assumes: the default Dmin a curve with b >= 1 takes, a limit already passed
before the forecast starts, the volume to infinite time, and the month a day falls in."""

from __future__ import annotations

import numpy as np

from wellprod_tui.core.months import month_label
from wellprod_tui.decline import curves
from wellprod_tui.decline.curves import DAYS_PER_YEAR, Curve, Floats


def takes_default_dmin(b: Floats | float, dmin_set: float | None, default_dmin: float) -> np.ndarray:
    """Whether a fitted b takes the default Dmin (tangent annual fraction): b >= 1, none set, a default given."""
    if dmin_set is not None or default_dmin <= 0:
        return np.zeros(np.shape(b), dtype=bool)
    return np.asarray(b) >= 1 - curves.B_EPSILON


def default_dmin_per_day(default_dmin: float) -> float:
    """The default Dmin (tangent annual fraction) as a nominal decline per day."""
    return curves.to_nominal(default_dmin, "tangent", 0.0, "dmin") / DAYS_PER_YEAR


def ultimate(curve: Curve, start_days: float = 0.0) -> float | None:
    """The curve's volume from ``start_days`` on with no limit and no cap (Np at infinite time); None when it is
    infinite (b >= 1 with no Dmin)."""
    with np.errstate(all="ignore"):
        total = float(curve.cumulative(np.inf) - curve.cumulative(start_days))
    return total if np.isfinite(total) else None


def limit_passed(months: np.ndarray, rates: np.ndarray, end: int, curve: Curve, start: int, start_days: float,
                 qel: float) -> str | None:
    """YYYY-MM the economic limit was reached in before the forecast's start: the first of the last months (up to
    ``end``) whose rates are all below it, or where the curve crossed it; None when it is still ahead."""
    if qel <= 0:
        return None
    upto = months <= end
    below = np.nan_to_num(rates[upto]) < qel
    if below.size and below[-1]:
        above = np.flatnonzero(~below)
        first = int(above[-1]) + 1 if above.size else 0
        return month_label(int(months[upto][first]))
    t_reach = curve.days_to(qel)
    return month_after(start, t_reach) if t_reach < start_days else None


def month_after(month: int, days: float) -> str:
    """YYYY-MM of the day ``days`` after the start of ``month``."""
    day = int(curves.month_start_days(month)) + int(np.floor(days))
    moment = np.datetime64(day, "D").astype("datetime64[M]").astype(int) + 1970 * 12
    return month_label(int(moment))
