"""Benchmark: fit every well of a 5,000-well database at once (``wellprod decline --field``), wells per second.

    python tests/benchmarks/bench_decline.py [--wells 5000] [--months 96] [--repeat 3]

The wells are made from known Arps curves (tests/decline_wells.py) with noise and shut-in months, all in one
field, imported into a fresh DuckDB file. Not part of the default test run (pytest collects test_*.py only).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.conftest import run_import  # noqa: E402
from tests.decline_wells import FIELD_CODE, make_wells  # noqa: E402
from wellprod_tui import queries, storage  # noqa: E402
from wellprod_tui.decline.analysis import Options  # noqa: E402
from wellprod_tui.decline.field import field_decline  # noqa: E402
from wellprod_tui.decline.fit import fit_points  # noqa: E402
from wellprod_tui.decline.windows import build_fit_window  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wells", type=int, default=5000)
    parser.add_argument("--months", type=int, default=96)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rng = np.random.default_rng(5)
    n = args.wells
    frame, truth = make_wells(rng.uniform(0.2, 6, n), rng.uniform(0.2, 2.5, n), rng.uniform(0, 1.8, n),
                              months=args.months)
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "wells.parquet"
        frame.write_parquet(source)
        con = storage.connect(Path(folder) / "bench.duckdb")
        started = time.perf_counter()
        run_import(con, source, Path(folder) / "rejects")
        print(f"{n:,} wells x {args.months} months = {frame.height:,} records imported in "
              f"{time.perf_counter() - started:.1f} s")
        for model in ("auto", "hyperbolic", "exponential"):
            options = Options(model=model)
            times, fit_times = [], []
            for _ in range(args.repeat):
                started = time.perf_counter()
                result = field_decline(con, FIELD_CODE, options)
                times.append(time.perf_counter() - started)
                window = build_fit_window(queries.decline_history(con, "oil", field_code=FIELD_CODE), "calendar")
                started = time.perf_counter()
                fit_points(window.points, window.log_qi_cap, model)
                fit_times.append(time.perf_counter() - started)
            whole, fit = statistics.median(times), statistics.median(fit_times)
            eur = np.array([w["eur"] for w in result.wells])
            error = np.abs(eur / truth.eur() - 1) if len(eur) == n else np.array([np.nan])
            print(f"model {model:<11} whole field (query, fit, forecast, JSON rows) {whole:6.2f} s = "
                  f"{n / whole:7,.0f} wells/s; fit alone {fit:6.2f} s = {n / fit:7,.0f} wells/s; "
                  f"EUR error median {np.median(error):.1%}, 95th pct {np.percentile(error, 95):.1%}")
        con.close()


if __name__ == "__main__":
    main()
