"""Benchmark (not a timed test): hindcast of real wells, the old fit window against the robust one.

    python tests/benchmarks/bench_hindcast.py [FILE ...] [--phase oil] [--hidden 12] [--min-months 36]

Each well with at least --min-months months of records has its last --hidden months hidden; it is fitted on the
rest (auto model, calendar-day rates, as ``wellprod decline WELL --to``) and its forecast volume over the hidden
months is compared with what the records hold. Reported per file and window rule: wells compared, median
absolute error, bias (median signed error) and the share within +-25 %. The old rule starts the window at the
highest month; the robust one takes the peak among months with >= 10 producing days and leaves single-month
spikes (3 times both neighbours) out. Default files: tests/data's Volve and ECMC records, and the shared ECMC
sample when tests.conftest.SHARED_REALDATA holds it (from a worktree, pass its path).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.conftest import DATA, SHARED_REALDATA, run_import  # noqa: E402
from wellprod_tui import queries, storage  # noqa: E402
from wellprod_tui.core.config import DeclineSettings  # noqa: E402
from wellprod_tui.decline import curves  # noqa: E402
from wellprod_tui.decline.analysis import no_decline  # noqa: E402
from wellprod_tui.decline.fit import fit_points  # noqa: E402
from wellprod_tui.decline.windows import OLD_RULE, WindowRule, build_fit_window, days_in_month  # noqa: E402

DEFAULTS = DeclineSettings()
RULES = {"old (highest month)": OLD_RULE,
         "robust (days, spikes)": WindowRule(DEFAULTS.min_peak_days, DEFAULTS.spike_factor)}


def history(con: storage.Connection, phase: str) -> dict[str, np.ndarray]:
    """Every well's monthly rows of ``phase`` (queries.decline_history, well by well), by well then month."""
    codes = [row[0] for row in con.execute("SELECT DISTINCT well_code FROM production ORDER BY 1").fetchall()]
    parts = [queries.decline_history(con, phase, well_code=code) for code in codes]
    return {key: np.concatenate([np.asarray(p[key]) for p in parts]) for key in ("well_code", "month", "days",
                                                                                 "rate")}


def split(data: dict[str, np.ndarray], hidden: int, min_months: int) -> tuple[dict[str, np.ndarray], dict[int, float]]:
    """The rows kept for fitting (wells with enough months, their last ``hidden`` months dropped), and each kept
    well's recorded volume over the hidden months."""
    codes, month = data["well_code"], data["month"].astype(np.int64)
    kept_rows = np.zeros(len(codes), dtype=bool)
    actual: dict[int, float] = {}
    for code in np.unique(codes):
        rows = np.flatnonzero(codes == code)
        last = int(month[rows].max())
        if last - int(month[rows].min()) + 1 < min_months:
            continue
        late = month[rows] > last - hidden
        kept_rows[rows[~late]] = True
        rate = np.nan_to_num(data["rate"][rows[late]])
        actual[int(code)] = float((rate * days_in_month(month[rows[late]])).sum())
    return {key: value[kept_rows] for key, value in data.items()}, actual


def hindcast(kept: dict[str, np.ndarray], actual: dict[int, float], rule: WindowRule,
             hidden: int) -> dict[int, float]:
    """Each fitted well's forecast volume over the hidden months."""
    window = build_fit_window(kept, "calendar", rule=rule)
    rows = window.fittable
    p = window.points
    fits = fit_points(type(p)(p.t[rows], p.log_q[rows], p.weight[rows]), window.log_qi_cap[rows])
    ok = ~no_decline(fits)
    start = window.forecast_start_days[rows]
    end = window.end[rows]
    span = (curves.month_start_days(end + 1 + hidden) - curves.month_start_days(end + 1)).astype(float)
    args = (fits.qi, fits.d, fits.b, fits.dmin)
    volume = curves.cumulative(start + span, *args) - curves.cumulative(start, *args)
    return {int(c): float(v) for c, v, good in zip(window.well_codes[rows], volume, ok, strict=True)
            if good and int(c) in actual}


def summary(errors: np.ndarray) -> str:
    """Median absolute error, bias and share within +-25 %."""
    if not errors.size:
        return "no wells"
    return (f"{errors.size:4d} wells  median |error| {np.median(np.abs(errors)):6.1%}  bias {np.median(errors):+7.1%}"
            f"  within +-25 % {np.mean(np.abs(errors) <= 0.25):6.1%}")


def run(path: Path, phase: str, hidden: int, min_months: int) -> None:
    """Import ``path`` into a fresh database and print the hindcast of both rules."""
    with tempfile.TemporaryDirectory() as folder:
        con = storage.connect(Path(folder) / "hindcast.duckdb")
        run_import(con, path, Path(folder) / "rejects")
        data = history(con, phase)
        con.close()
    kept, actual = split(data, hidden, min_months)
    produced = {code for code, volume in actual.items() if volume > 0}
    results: dict[str, dict[int, float]] = {name: hindcast(kept, actual, rule, hidden)
                                            for name, rule in RULES.items()}
    both = sorted(produced.intersection(*results.values()))
    print(f"{path.name}: {len(actual)} wells with >= {min_months} months, {len(produced)} produced in the hidden "
          f"{hidden}; {len(both)} fitted by both rules")
    for name, forecast in results.items():
        errors = np.array([forecast[c] / actual[c] - 1 for c in both])
        print(f"  {name:<22} {summary(errors)}")
    moved = [c for c in both if abs(results[_OLD][c] - results[_ROBUST][c]) > 1e-9 * max(actual[c], 1e-12)]
    print(f"  wells whose forecast the robust window changed: {len(moved)}")
    for c in moved:
        old, new = (results[rule][c] / actual[c] - 1 for rule in (_OLD, _ROBUST))
        print(f"    well {c}: error {old:+.1%} -> {new:+.1%}")


_OLD, _ROBUST = RULES


def default_files() -> list[Path]:
    """tests/data's Volve and ECMC files, and the shared ECMC sample when present."""
    files = [DATA / "volve_monthly.csv", DATA / "ecmc_weld_slice.csv"]
    shared = SHARED_REALDATA / "ecmc_weld_sample.csv"
    return files + ([shared] if shared.exists() else [])


def main(argv: list[str] | None = None) -> Any:
    """Run the hindcast over the files given (or the default ones)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--phase", default="oil", choices=("oil", "gas", "water"))
    parser.add_argument("--hidden", type=int, default=12)
    parser.add_argument("--min-months", type=int, default=36)
    args = parser.parse_args(argv)
    for path in args.files or default_files():
        run(path, args.phase, args.hidden, args.min_months)


if __name__ == "__main__":
    main()
