"""A field's decline: every well fitted at once, forecast from the end of the field's last month, and summed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from wellprod_tui import queries
from wellprod_tui.decline import curves
from wellprod_tui.decline.analysis import (
    NO_DECLINE,
    PHASE_UNITS,
    SHUT_IN_MONTHS,
    DeclineError,
    Options,
    fit_rows,
    no_decline,
)
from wellprod_tui.decline.windows import build_window
from wellprod_tui.storage.connection import Connection


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
    wells: list[dict[str, Any]]
    unfitted: list[dict[str, Any]]
    #: The field has no well records: its reported totals (field-level rows) are fitted as one series.
    reported_only: bool = False

    @property
    def remaining(self) -> float:
        """Volume still to come from the fitted wells."""
        return float(self.volumes.sum())

    def as_json(self) -> dict[str, Any]:
        """The answer of ``wellprod decline --field CODE --json``."""
        rate_unit, volume_unit = PHASE_UNITS[self.options.phase]
        cumulative = np.cumsum(self.volumes)
        return {
            "field_code": self.field_code,
            "phase": self.options.phase,
            "basis": self.options.basis,
            "model": self.options.model,
            "rate_unit": rate_unit,
            "volume_unit": volume_unit,
            "qel": self.options.qel,
            "years": self.options.years,
            "wells": 0 if self.reported_only else len(self.wells) + len(self.unfitted),
            "fitted": 0 if self.reported_only else len(self.wells),
            "reported_only": self.reported_only,
            "forecast_start": curves.month_label(self.last_month + 1),
            "cum_to_date": self.cum_to_date,
            "remaining": self.remaining,
            "eur": self.cum_to_date + self.remaining,
            "next_12_months": float(self.volumes[:12].sum()),
            "forecast": [{"month": m, "rate": float(r), "volume": float(v), "cumulative": float(c)}
                         for m, r, v, c in zip(self.months, self.rates, self.volumes, cumulative, strict=True)],
            "well_list": self.wells,
            "unfitted": self.unfitted,
        }


def field_decline(con: Connection, code: int, options: Options) -> FieldDecline:
    """Fit every well of a field and sum their forecasts; wells that cannot be fitted are listed with why."""
    options.check()
    queries.field_info(con, code)  # NotFound when there is no such field
    data = queries.decline_history(con, options.phase, field_code=code)
    window = build_window(data, options.basis, options.from_month, options.to_month)
    if not window.well_codes.size:
        raise DeclineError(f"field {code}: no records")
    last_month = int(np.max(data["month"]))
    if options.to_month is not None:
        last_month = min(last_month, options.to_month)
    reason = window.reason.astype(object)
    shut_in = (reason == "") & (window.last_used <= last_month - SHUT_IN_MONTHS)
    for row in np.flatnonzero(shut_in):
        reason[row] = f"no production since {curves.month_label(int(window.last_used[row]))} (shut in)"
    rows = np.flatnonzero(reason == "")
    fits = fit_rows(window, options, rows)
    flat = no_decline(fits)
    reason[rows[flat]] = NO_DECLINE
    rows, fits = rows[~flat], _take(fits, ~flat)

    offset = (curves.month_start_days(last_month + 1) - curves.month_start_days(window.start[rows])).astype(float)
    t_el = curves.days_to_rate(options.qel, fits.qi, fits.d, fits.b, fits.dmin) - offset
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
        wells=_well_rows(window, rows, fits, remaining, t_el, horizon, options),
        unfitted=[{"well_code": int(window.well_codes[r]), "reason": str(reason[r]),
                   "cum_to_date": float(window.cum_to_date[r])} for r in np.flatnonzero(reason != "")],
        reported_only=bool(np.all(window.well_codes == code)),
    )


def _take(fits: Any, keep: np.ndarray) -> Any:
    return type(fits)(*(getattr(fits, name)[keep] for name in fits.__dataclass_fields__))


def _well_rows(window: Any, rows: np.ndarray, fits: Any, remaining: np.ndarray, t_el: np.ndarray,
               horizon: np.ndarray, options: Options) -> list[dict[str, Any]]:
    d_year = fits.d * curves.DAYS_PER_YEAR
    columns = {
        "well_code": window.well_codes[rows].tolist(),
        "model": fits.model.tolist(),
        "qi": fits.qi.tolist(),
        "b": fits.b.tolist(),
        "di_nominal": d_year.tolist(),
        "di_secant": curves.secant_from_nominal(d_year, fits.b).tolist(),
        "di_tangent": curves.tangent_from_nominal(d_year).tolist(),
        "dmin_nominal": [x if x > 0 else None for x in (fits.dmin * curves.DAYS_PER_YEAR).tolist()],
        "fit_start": [curves.month_label(int(m)) for m in window.start[rows]],
        "fit_end": [curves.month_label(int(m)) for m in window.end[rows]],
        "points": fits.points.astype(int).tolist(),
        "rmse_log": fits.rmse_log.tolist(),
        "cum_to_date": window.cum_to_date[rows].tolist(),
        "remaining": remaining.tolist(),
        "eur": (window.cum_to_date[rows] + remaining).tolist(),
        "t_el_days": [float(h) if t <= options.cap_days else None for t, h in zip(t_el, horizon, strict=True)],
    }
    return [dict(zip(columns, values, strict=True)) for values in zip(*columns.values(), strict=True)]
