"""Quality flags of a fit: what an engineer should look at before signing it. Each flag has a short name and a
sentence; a fit carries them as a plain tuple, shown by text, JSON, CSV, the app's panel and any table of fits."""

from __future__ import annotations

from dataclasses import dataclass

from wellprod_tui.core.months import month_label

#: How close to a bound counts as on it (b) or at it (qi against its cap, relative).
B_BOUND_TOLERANCE = 1e-3
CAP_TOLERANCE = 1e-6
#: A forecast whose first month's rate is this many times the last fitted month's rate rises from the history.
RISE_FACTOR = 1.5
NAMES = ("qi-at-cap", "b-on-bound", "b-over-1-no-dmin", "few-points", "high-rmse", "spike", "past-limit", "rises")


@dataclass(frozen=True)
class Flag:
    """One quality flag: a short name (one of NAMES) and a sentence saying what was seen."""

    name: str
    sentence: str


@dataclass(frozen=True)
class Thresholds:
    """When the point count and the misfit raise a flag."""

    min_points: int = 6
    max_rmse_log: float = 0.5


@dataclass(frozen=True)
class Seen:
    """The figures of one fit the flags are read from (rates per day in the phase's stored unit)."""

    qi: float
    qi_cap: float
    qi_locked: bool
    b: float
    dmin: float
    points: int
    rmse_log: float
    #: Whether b came from a search over [0, 2] (not locked, not a model's own b, not auto's exponential pick).
    b_searched: bool
    #: Month index the window would have started at without leaving out a spike (-1: none).
    spike_start: int
    #: YYYY-MM the limit was reached in when it was before the forecast's start; None otherwise.
    limit_passed: str | None
    first_forecast_rate: float | None
    last_fitted_rate: float | None


def flags(seen: Seen, thresholds: Thresholds) -> tuple[Flag, ...]:
    """The flags a fit raises, in the order of NAMES."""
    found: list[Flag] = []
    if not seen.qi_locked and seen.qi >= seen.qi_cap * (1 - CAP_TOLERANCE):
        found.append(Flag("qi-at-cap", "qi sits at its cap (5 times the fit's highest rate): the early months "
                                       "do not tie it down"))
    if seen.b_searched and (seen.b <= B_BOUND_TOLERANCE or seen.b >= 2 - B_BOUND_TOLERANCE):
        found.append(Flag("b-on-bound", f"b = {seen.b:.2f} sits on a bound of [0, 2]: the data do not fix it"))
    found += stated_flags(seen.b, seen.dmin)
    if seen.points < thresholds.min_points:
        found.append(Flag("few-points", f"{seen.points} points in the fit (fewer than {thresholds.min_points})"))
    if seen.rmse_log > thresholds.max_rmse_log:
        found.append(Flag("high-rmse", f"rmse of ln q {seen.rmse_log:.2f} is above {thresholds.max_rmse_log:g}: "
                                       "the curve misses the months it fits"))
    if seen.spike_start >= 0:
        found.append(Flag("spike", f"{month_label(seen.spike_start)} is a single-month spike: left out, it "
                                   "would have been taken as the peak and the window's start"))
    if seen.limit_passed is not None:
        found.append(Flag("past-limit", f"the rate was below the economic limit from {seen.limit_passed} on, "
                                        "before the forecast starts: nothing remains"))
    first, last = seen.first_forecast_rate, seen.last_fitted_rate
    if first is not None and last is not None and first > last * RISE_FACTOR:
        found.append(Flag("rises", f"the forecast starts {first / last:.1f} times above the last fitted month: "
                                   "it rises from the history"))
    return tuple(found)


def stated_flags(b: float, dmin: float) -> tuple[Flag, ...]:
    """The flags a curve from given parameters can raise (nothing was fitted): b > 1 with no Dmin."""
    if b > 1 and dmin <= 0:
        return (Flag("b-over-1-no-dmin", f"b = {b:.2f} > 1 with no Dmin: the EUR grows with the cap"),)
    return ()
