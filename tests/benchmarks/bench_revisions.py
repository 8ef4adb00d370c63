"""Benchmark: what the revision trail costs a re-import that revises 1 % of the months.

    python tests/benchmarks/bench_revisions.py --records 5000000 [--repeat 3] [--data DIR]

A Parquet file of N generated records is imported once; a copy with 1 % of its rows revised (oil + 1 %) is
then re-imported into fresh copies of that database, ``--repeat`` times. The trail's own work (copying the
replaced rows into ``revisions`` and looking for values brought back) is timed inside the same runs, so the
figure is its share of the re-import. Not part of the default test run.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402

from tests.conftest import run_import  # noqa: E402
from wellprod_tui import storage  # noqa: E402
from wellprod_tui.importing import merge  # noqa: E402
from wellprod_tui.importing.sample import records_frame  # noqa: E402


def files(records: int, folder: Path) -> tuple[Path, Path]:
    """The base file and its revision (every 100th row's oil up by 1 %), as Parquet."""
    base, revised = folder / f"base-{records}.parquet", folder / f"revised-{records}.parquet"
    if not base.exists():
        records_frame(records).write_parquet(base)
    if not revised.exists():
        duckdb.execute(
            f"""COPY (SELECT * REPLACE (CASE WHEN hash(well_code, production_period) % 100 = 0
                      THEN oil_production_kbd * 1.01 ELSE oil_production_kbd END AS oil_production_kbd)
                  FROM '{base}') TO '{revised}' (FORMAT parquet)"""
        )
    return base, revised


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data", type=Path, default=ROOT / "bench-data")
    args = parser.parse_args()
    args.data.mkdir(parents=True, exist_ok=True)
    base, revised = files(args.records, args.data)
    work = Path(tempfile.mkdtemp(prefix="bench-revisions-"))
    template = work / "base.duckdb"
    with storage.opened(template) as con:
        run_import(con, base, work / "rejects")
    trail_s: list[float] = []
    keep = merge._keep_replaced_rows

    def timed(*a: object, **k: object) -> dict[str, int]:
        started = time.perf_counter()
        try:
            return keep(*a, **k)  # type: ignore[arg-type]
        finally:
            trail_s.append(time.perf_counter() - started)

    merge._keep_replaced_rows = timed  # instrumentation of this benchmark only
    totals, updated = [], 0
    for run in range(args.repeat):
        db = work / f"run-{run}.duckdb"
        shutil.copy(template, db)
        with storage.opened(db) as con:
            started = time.perf_counter()
            summary = run_import(con, revised, work / "rejects")
            totals.append(time.perf_counter() - started)
            updated = summary.updated
    total, trail = statistics.median(totals), statistics.median(trail_s)
    print(f"records {args.records:,}; revised {updated:,} ({updated / args.records:.2%})")
    print(f"re-import median {total:.2f} s over {args.repeat} runs; trail {trail:.3f} s = {trail / total:.1%}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
