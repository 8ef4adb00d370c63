"""Benchmark: ``wellprod decline --all`` over a 5,000-well database, the whole process timed (start, query, fit,
forecast, printing), wells per second; and the same in-process, step by step.

    python tests/benchmarks/bench_batch_decline.py [--wells 5000] [--months 96] [--repeat 3]

The wells are made from known Arps curves (tests/decline_wells.py) with noise and shut-in months, imported into a
fresh DuckDB file. Not part of the default test run (pytest collects test_*.py only). Goal: >= 2,000 wells/s.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.conftest import run_import  # noqa: E402
from tests.decline_wells import make_wells  # noqa: E402
from wellprod_tui import storage  # noqa: E402
from wellprod_tui.decline.analysis import Options  # noqa: E402
from wellprod_tui.decline.batch import fit_batch, read_batch_history  # noqa: E402
from wellprod_tui.queries.selection import Selection  # noqa: E402


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
        source, db = Path(folder) / "wells.parquet", Path(folder) / "bench.duckdb"
        frame.write_parquet(source)
        con = storage.connect(db)
        run_import(con, source, Path(folder) / "rejects")
        con.close()
        print(f"{n:,} wells x {args.months} months = {frame.height:,} records")
        wellprod = Path(sys.executable).parent / "wellprod"
        for output in ([], ["--csv"], ["--json"]):
            times, cpu = [], []
            for _ in range(args.repeat):
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                started = time.perf_counter()
                subprocess.run([str(wellprod), "--db", str(db), "decline", "--all", *output], check=True,
                               stdout=subprocess.DEVNULL)
                times.append(time.perf_counter() - started)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
            whole, busy = statistics.median(times), statistics.median(cpu)
            print(f"wellprod decline --all {' '.join(output) or '(text)':<7} whole process {whole:5.2f} s = "
                  f"{n / whole:7,.0f} wells/s (CPU {busy:.2f} s = {n / busy:,.0f} wells/s; "
                  f"load {os.getloadavg()[0]:.1f})")
        con = storage.connect(db, read_only=True)
        started = time.perf_counter()
        history = read_batch_history(con, Selection("all"), "oil")
        read = time.perf_counter() - started
        started = time.perf_counter()
        result = fit_batch(history, Options())
        fitted = time.perf_counter() - started
        started = time.perf_counter()
        monthly = result.monthly()
        months = time.perf_counter() - started
        eur = {r.well_code: r.eur for r in result.rows if r.eur is not None}
        true_eur = dict(zip(truth.well_codes.tolist(), truth.eur().tolist(), strict=True))
        error = np.abs(np.array([eur[code] / true_eur[code] - 1 for code in eur]))
        print(f"in process: query {read:.2f} s, fit and forecast {fitted:.2f} s, {monthly.height:,} forecast months "
              f"{months:.2f} s; EUR error median {np.nanmedian(error):.1%}, 95th pct {np.nanpercentile(error, 95):.1%}")
        con.close()


if __name__ == "__main__":
    main()
