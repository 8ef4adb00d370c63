"""Fit Arps curves to many wells at once: least squares on ln q, every well as a row of numpy arrays.

For each b of a grid (0 to 2 by 0.1) ln qi has a closed form given D (the mean residual), so each well's fit
is a one-dimensional Gauss-Newton in ln D, run for all wells together; warm starts along the grid keep it to a few
steps. The best grid b is refined by a parabola through its neighbours. No per-well or per-month Python loops.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from wellprod_tui.core.vocabulary import FIT_MODELS
from wellprod_tui.decline.curves import B_EPSILON, Floats, switch_days

B_STEP = 0.1
B_GRID = np.round(np.arange(0.0, 2.0 + 1e-9, B_STEP), 2)
#: Bounds of the nominal decline per day: above 0 (a flat well is not a decline), below 1 (a month's loss > 99.99 %).
LOG_D_MIN, LOG_D_MAX = np.log(1e-7), np.log(1.0)
QI_CAP_FACTOR = 5.0
MIN_POINTS = 3
#: Gauss-Newton stops once a step would move ln D by less than this (D to 1e-6 relative).
TOLERANCE_LOG_D = 1e-6


class FitError(ValueError):
    """Options that cannot make a fit (e.g. harmonic with b locked at 0.5)."""


@dataclass(frozen=True)
class Points:
    """Each well's fit points as rows: t (days from the window start), ln q, a 0/1 weight; padded with weight 0."""

    t: Floats
    log_q: Floats
    weight: Floats

    @property
    def count(self) -> Floats:
        """Points per well."""
        return self.weight.sum(axis=1)


@dataclass(frozen=True)
class Fits:
    """Fitted parameters per well (arrays of the wells' length); d and dmin nominal per day."""

    qi: Floats
    d: Floats
    b: Floats
    dmin: Floats
    sse: Floats
    points: Floats
    #: The model each well ended with: exponential, hyperbolic, harmonic or modified.
    model: np.ndarray

    @property
    def rmse_log(self) -> Floats:
        """Root mean square error of ln q."""
        return np.sqrt(self.sse / np.maximum(self.points, 1))


@dataclass
class _Solved:
    log_qi: Floats
    log_d: Floats
    sse: Floats


def _shape(t: Floats, d: Floats, b: Floats, dmin: Floats) -> tuple[Floats, Floats, Floats]:
    """ln(q/qi) and its first and second derivatives in ln D (constant after the switch to Dmin)."""
    with_min = bool((dmin > 0).any())
    t_star = switch_days(d, b, dmin) if with_min else t
    before = np.minimum(t, t_star)
    growth = b * d * before
    if (b > B_EPSILON).all():
        log_ratio = -np.log1p(growth) / b
    else:
        log_ratio = np.where(b > B_EPSILON, -np.log1p(growth) / np.where(b > B_EPSILON, b, 1.0), -d * before)
    if with_min:
        log_ratio = log_ratio - dmin * np.maximum(t - t_star, 0.0)
    slope = -d * before / (1.0 + growth)
    return log_ratio, slope, slope / (1.0 + growth)


def _evaluate(p: Points, log_d: Floats, b: Floats, dmin: Floats, fixed_log_qi: Floats) -> tuple[Floats, ...]:
    """ln qi (free: the mean residual), the SSE, and the Newton step in ln D (Gauss-Newton where not convex)."""
    n = np.maximum(p.count, 1.0)
    g, h, k = _shape(p.t, np.exp(log_d)[:, None], b[:, None], dmin[:, None])
    free = np.isnan(fixed_log_qi)
    log_qi = np.where(free, (p.weight * (p.log_q - g)).sum(axis=1) / n, fixed_log_qi)
    e = p.weight * (p.log_q - g - log_qi[:, None])
    h_centred = p.weight * (h - np.where(free, (p.weight * h).sum(axis=1) / n, 0.0)[:, None])
    gradient, gauss = (e * h_centred).sum(axis=1), (h_centred * h_centred).sum(axis=1)
    newton = gauss - (e * k).sum(axis=1)  # e sums to 0 when ln qi is free: centring k changes nothing
    curvature = np.where(newton > 0, newton, gauss)
    step = np.divide(gradient, curvature, out=np.zeros_like(gradient), where=curvature > 0)
    return log_qi, (e * e).sum(axis=1), step


@dataclass(frozen=True)
class Locks:
    """Per well: ln qi and ln D (per day) held fixed; NaN where fitted."""

    log_qi: Floats
    log_d: Floats

    @classmethod
    def none(cls, wells: int) -> Locks:
        """Nothing locked."""
        return cls(np.full(wells, np.nan), np.full(wells, np.nan))

    def subset(self, rows: np.ndarray) -> Locks:
        """The locks of ``rows``."""
        return Locks(self.log_qi[rows], self.log_d[rows])


def _solve(
    p: Points, b: Floats, dmin: Floats, log_d: Floats, fixed_log_qi: Floats, iterations: int = 60,
    fixed_log_d: Floats | None = None,
) -> _Solved:
    """Damped Gauss-Newton in ln D for every well at once (ln qi eliminated), from ``log_d``; wells whose
    ``fixed_log_d`` is set keep that D.

    Each step evaluates only the wells still moving, so the cost falls as wells converge.
    """
    held = None if fixed_log_d is None else ~np.isnan(fixed_log_d)
    if held is not None and fixed_log_d is not None:
        log_d = np.where(held, fixed_log_d, log_d)
    log_d = np.clip(log_d, LOG_D_MIN, LOG_D_MAX)
    log_qi, sse, step = _evaluate(p, log_d, b, dmin, fixed_log_qi)
    if held is not None:
        step[held] = 0.0
    scale = np.ones_like(log_d)
    for _ in range(iterations):
        move = np.clip(log_d + np.clip(step * scale, -2.0, 2.0), LOG_D_MIN, LOG_D_MAX) - log_d  # within bounds
        rows = np.flatnonzero((np.abs(move) > TOLERANCE_LOG_D) & (scale > 1e-6))
        if not rows.size:
            break
        trial = log_d[rows] + move[rows]
        sub = p if rows.size == len(log_d) else _subset(p, rows)
        t_qi, t_sse, t_step = _evaluate(sub, trial, b[rows], dmin[rows], fixed_log_qi[rows])
        better = t_sse <= sse[rows]
        took = rows[better]
        log_d[took], log_qi[took], sse[took], step[took] = trial[better], t_qi[better], t_sse[better], t_step[better]
        if held is not None:
            step[held] = 0.0
        scale[took] = np.minimum(scale[took] * 2.0, 1.0)
        scale[rows[~better]] *= 0.25
    return _Solved(log_qi, log_d, sse)


def _subset(p: Points, rows: np.ndarray) -> Points:
    return Points(p.t[rows], p.log_q[rows], p.weight[rows])


def _solve_capped(p: Points, b: Floats, dmin: Floats, log_d: Floats, log_qi_cap: Floats,
                  locks: Locks | None = None) -> _Solved:
    """Solve, then re-solve with qi held at its cap for the wells whose fitted qi went past it."""
    if locks is None:
        solved = _solve(p, b, dmin, log_d, np.full_like(log_d, np.nan))
        over = np.flatnonzero(solved.log_qi > log_qi_cap)
        fixed_log_d = None
    else:
        solved = _solve(p, b, dmin, log_d, locks.log_qi, fixed_log_d=locks.log_d)
        over = np.flatnonzero(np.isnan(locks.log_qi) & (solved.log_qi > log_qi_cap))
        fixed_log_d = locks.log_d[over]
    if over.size:
        again = _solve(_subset(p, over), b[over], dmin[over], solved.log_d[over], log_qi_cap[over],
                       fixed_log_d=fixed_log_d)
        for name in ("log_qi", "log_d", "sse"):
            getattr(solved, name)[over] = getattr(again, name)
    return solved


def _exponential_start(p: Points) -> Floats:
    """ln D of the straight line through (t, ln q): a start for the first grid b."""
    n = np.maximum(p.count, 1.0)
    t_mean = (p.weight * p.t).sum(axis=1) / n
    y_mean = (p.weight * p.log_q).sum(axis=1) / n
    dt = p.weight * (p.t - t_mean[:, None])
    var = (dt * dt).sum(axis=1)
    slope = np.divide((dt * (p.log_q - y_mean[:, None])).sum(axis=1), var, out=np.zeros_like(var), where=var > 0)
    return np.log(np.clip(-slope, 1e-6, 0.5))


def _parabola_vertex(b: Floats, sse: np.ndarray, best: np.ndarray) -> Floats:
    """Refined b between the best grid b's neighbours (the grid b where it is on the edge)."""
    wells = np.arange(sse.shape[1])
    inner = (best > 0) & (best < len(b) - 1)
    k = np.clip(best, 1, len(b) - 2)
    left, mid, right = sse[k - 1, wells], sse[k, wells], sse[k + 1, wells]
    curvature = left - 2 * mid + right
    shift = np.divide(left - right, 2 * curvature, out=np.zeros_like(mid), where=curvature > 0)
    return np.where(inner, b[k] + np.clip(shift, -1.0, 1.0) * B_STEP, b[best])


def fit_points(
    p: Points, log_qi_cap: Floats, model: str = "auto", b_locked: float | None = None, dmin_per_day: float = 0.0,
    locks: Locks | None = None,
) -> Fits:
    """Fit every well's points; ``model`` auto picks exponential, harmonic or hyperbolic by BIC on ln q.
    ``locks`` hold qi and D of some wells (a locked parameter counts as no free one in the BIC)."""
    if model not in FIT_MODELS:
        raise FitError(f"model must be one of {', '.join(FIT_MODELS)}, not {model!r}")
    if model == "modified" and dmin_per_day <= 0:
        raise FitError("the modified hyperbolic needs Dmin (--dmin VALUE)")
    if b_locked is not None and not 0 <= b_locked <= 2:
        raise FitError(f"b must lie in [0, 2], not {b_locked}")
    fixed_b = {"exponential": 0.0, "harmonic": 1.0}.get(model)
    if fixed_b is not None and b_locked is not None and abs(b_locked - fixed_b) > B_EPSILON:
        raise FitError(f"the {model} model has b = {fixed_b:g}, not {b_locked:g}")
    wells = p.t.shape[0]
    dmin = np.full(wells, float(dmin_per_day))
    if wells == 0:
        empty = np.zeros(0)
        return Fits(empty, empty, empty, empty, empty, empty, np.zeros(0, dtype="<U11"))
    start = _exponential_start(p)
    locked = fixed_b if fixed_b is not None else b_locked
    if locked is not None:
        b = np.full(wells, float(locked))
        solved = _solve_capped(p, np.zeros(wells), dmin, start, log_qi_cap, locks)  # the line first: a good start
        if locked > 0:
            solved = _solve_capped(p, b, dmin, solved.log_d, log_qi_cap, locks)
        return _fits(solved, b, dmin, p.count)
    grid = _grid(p, dmin, start, log_qi_cap, locks)
    sse = np.stack([g.sse for g in grid])
    best = np.argmin(sse, axis=0)
    cols = np.arange(wells)
    b_best = B_GRID[best]
    hyper = _Solved(*(np.stack([getattr(g, n) for g in grid])[best, cols] for n in ("log_qi", "log_d", "sse")))
    b_refined = _parabola_vertex(B_GRID, sse, best)
    refined = _solve_capped(p, b_refined, dmin, hyper.log_d, log_qi_cap, locks)
    keep = refined.sse < hyper.sse
    for name in ("log_qi", "log_d", "sse"):
        getattr(hyper, name)[keep] = getattr(refined, name)[keep]
    b_best = np.where(keep, b_refined, b_best)
    if model in ("hyperbolic", "modified"):
        return _fits(hyper, b_best, dmin, p.count)
    exp_i, harm_i = 0, int(np.flatnonzero(B_GRID == 1.0)[0])
    n = np.maximum(p.count, 1.0)
    candidates = [(grid[exp_i], np.zeros(wells), 2), (grid[harm_i], np.ones(wells), 2), (hyper, b_best, 3)]
    held = 0 if locks is None else (~np.isnan(locks.log_qi)).astype(int) + (~np.isnan(locks.log_d)).astype(int)
    bic = np.stack([n * np.log(np.maximum(c.sse, 1e-300) / n) + (k - held) * np.log(n) for c, _, k in candidates])
    choice = np.argmin(bic, axis=0)
    chosen = _Solved(*(np.choose(choice, [getattr(c, name) for c, _, _ in candidates])
                       for name in ("log_qi", "log_d", "sse")))
    return _fits(chosen, np.choose(choice, [bb for _, bb, _ in candidates]), dmin, p.count)


def _grid(p: Points, dmin: Floats, start: Floats, log_qi_cap: Floats, locks: Locks | None) -> list[_Solved]:
    """Solutions at each grid b, each started from the previous one."""
    solved: list[_Solved] = []
    log_d = start
    for gb in B_GRID:
        result = _solve_capped(p, np.full(len(start), gb), dmin, log_d, log_qi_cap, locks)
        solved.append(result)
        log_d = result.log_d
    return solved


def _fits(solved: _Solved, b: Floats, dmin: Floats, points: Floats) -> Fits:
    model = np.where(
        (dmin > 0) & (b > B_EPSILON),
        "modified",
        np.where(b <= B_EPSILON, "exponential", np.where(np.abs(b - 1) <= B_EPSILON, "harmonic", "hyperbolic")),
    )
    return Fits(np.exp(solved.log_qi), np.exp(solved.log_d), b.astype(float), dmin, solved.sse, points, model)
