"""Benchmark: import of each format (first, re-import unchanged, re-import with 1 % of months changed), many
per-well files as one import, queries and export, beside DuckDB's own floor and issue 22's goals.

    python tests/benchmarks/bench.py --records 5000000 [--repeat 3] [--data DIR] [--wells 831]

Each measurement runs in a fresh process; figures are medians, ratios are to the floor measured in the
same run (JSON to the NDJSON floor), peak memory is the child's max RSS (the floor runs with the import's
DuckDB settings: its memory limit, 1 GB by default). Not part of the default test run.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
COLUMNS = (
    "{'field_code': 'BIGINT', 'field_name': 'VARCHAR', 'well_code': 'BIGINT', 'well_reference': 'VARCHAR', "
    "'well_name': 'VARCHAR', 'production_period': 'VARCHAR', 'days_on_production': 'DOUBLE', "
    "'oil_production_kbd': 'DOUBLE', 'gas_production_mmcfd': 'DOUBLE', 'liquids_production_kbd': 'DOUBLE', "
    "'water_production_kbd': 'DOUBLE', 'data_source': 'VARCHAR', 'source_data': 'VARCHAR', "
    "'partition_0': 'VARCHAR'}"
)
FLOOR_READERS = {
    "ndjson": "read_ndjson('{path}', columns=" + COLUMNS + ")",
    "csv": "read_csv('{path}', header=true)",
    "parquet": "read_parquet('{path}')",
}


def child(code: str) -> tuple[float, float, str]:
    """Run Python code in a fresh process; (seconds, peak RSS MB, stdout)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(f"benchmark step failed:\n{code}\n{done.stderr}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) / 1024, done.stdout


def rss_of(code: str) -> tuple[float, float, str]:
    """Like child(), but the peak RSS is the child's own: VmHWM of its address space. (Linux's ru_maxrss of a
    child, RUSAGE_SELF included, keeps the high-water mark of the parent's memory it was forked from.)"""
    wrapped = code + (
        "\nfrom pathlib import Path as _P\n"
        "print('RSS', next(l.split()[1] for l in _P('/proc/self/status').read_text().splitlines() "
        "if l.startswith('VmHWM:')))\n"
    )
    seconds, _, out = child(wrapped)
    rss_kb = int(next(line.split()[1] for line in out.splitlines() if line.startswith("RSS")))
    return seconds, rss_kb / 1024, out


def median(values: list[float]) -> float:
    return statistics.median(values)


def generate(
    records: int, folder: Path, formats: tuple[str, ...] = ("json", "ndjson", "csv", "parquet")
) -> tuple[dict[str, Path], dict[str, Path]]:
    """The records in each format, and the same with the water of 1 % of the months changed (a revision)."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {fmt: folder / f"records-{records}.{fmt}" for fmt in formats}
    changed = {fmt: folder / f"records-{records}-changed.{fmt}" for fmt in formats}
    wanted = [(f, files[f], False) for f in formats] + [(f, changed[f], True) for f in formats]
    missing = [w for w in wanted if not w[1].exists()]
    if missing:
        import polars as pl

        from wellprod_tui.importing.sample import records_frame, write_records

        frame = records_frame(records)
        revised = frame.with_row_index("_row").with_columns(  # water: a revision that raises no warning
            water_production_kbd=pl.when(pl.col("_row") % 100 == 0)
            .then(pl.col("water_production_kbd") * 1.01).otherwise(pl.col("water_production_kbd"))  # 0 stays 0
        ).drop("_row")
        for fmt, path, is_changed in missing:
            write_records(revised if is_changed else frame, path, fmt)
    return files, changed


def per_well_files(source: Path, folder: Path, wells: int) -> tuple[Path, Path]:
    """Colorado-like: ``wells`` per-well ECMC CSV files (each a header and one wellbore's rows, the sample's
    wellbores cloned under new API sequence numbers) and the same rows in one file."""
    many = folder / f"per-well-{wells}"
    one = folder / f"per-well-{wells}.csv"
    if one.exists():
        return many, one
    many.mkdir(parents=True, exist_ok=True)
    header, *rows = source.read_bytes().splitlines(keepends=True)
    wellbores: dict[bytes, list[list[bytes]]] = {}
    for row in rows:
        cells = row.split(b",")
        wellbores.setdefault(b"-".join(cells[4:7]), []).append(cells)
    keys = list(wellbores)
    joined = [header]
    for number in range(wells):
        sequence = str(10000 + number).encode()
        body = [b",".join([*cells[:5], sequence, b"0", *cells[7:]]) for cells in wellbores[keys[number % len(keys)]]]
        (many / f"123-{sequence.decode()}-0.csv").write_bytes(header + b"".join(body))
        joined += body
    one.write_bytes(b"".join(joined))
    return many, one


def floor(fmt: str, path: Path, db: Path) -> tuple[float, float]:
    """DuckDB alone reading the file into a table, with the import's DuckDB settings (memory limit)."""
    reader = FLOOR_READERS[fmt].replace("{path}", str(path))
    code = (
        "import duckdb, time\n"
        "from wellprod_tui.core import config\n"
        f"con = duckdb.connect({str(db)!r}, config=dict(config.Config().duckdb_settings))\n"
        "t = time.perf_counter()\n"
        f"con.execute(\"CREATE TABLE t AS SELECT * FROM {reader}\")\n"
        "con.execute('CHECKPOINT')\n"
        "print('T', time.perf_counter() - t)\n"
    )
    _, rss, out = rss_of(code)
    return float(next(line.split()[1] for line in out.splitlines() if line.startswith("T"))), rss


def wellprod_import(path: Path, db: Path) -> tuple[float, float, dict[str, int]]:
    """Import ``path`` (a file or a folder) into ``db`` in a fresh process: (seconds, peak RSS MB, counts)."""
    code = (
        "import time, json\nfrom pathlib import Path\n"
        "from wellprod_tui import importing, storage\nfrom wellprod_tui.core import config\n"
        f"cfg = config.Config(paths=config.Paths(rejects_dir={str(db.parent / 'rejects')!r}))\n"
        f"con = storage.connect(Path({str(db)!r}), settings=cfg.duckdb_settings)\n"
        "t = time.perf_counter()\n"
        f"s = importing.ImportJob.from_config(con, Path({str(path)!r}), cfg).run()\n"
        "con.execute('CHECKPOINT')\n"
        "print('T', time.perf_counter() - t)\n"
        "print('S', json.dumps({k: getattr(s, k) for k in ('records', 'inserted', 'updated', 'unchanged', "
        "'rejected')}))\n"
    )
    _, rss, out = rss_of(code)
    lines = out.splitlines()
    seconds = float(next(line.split()[1] for line in lines if line.startswith("T")))
    summary = json.loads(next(line[2:] for line in lines if line.startswith("S ")))
    return seconds, rss, summary


def query_timings(db: Path, well: int, field: int, repeat: int = 20) -> dict[str, float]:
    code = (
        "import time, statistics\nfrom pathlib import Path\n"
        "from wellprod_tui import queries, storage as store\n"
        f"con = store.connect(Path({str(db)!r}), read_only=True)\n"
        "def med(f, n):\n"
        "    f(); out = []\n"
        "    for _ in range(n):\n"
        "        t = time.perf_counter(); f(); out.append((time.perf_counter() - t) * 1000)\n"
        "    return statistics.median(out)\n"
        f"print('well', med(lambda: queries.read_all(con, queries.well_history_view({well})), {repeat}))\n"
        f"print('well_summary', med(lambda: queries.well(con, {well}), {repeat}))\n"
        f"print('field_monthly', med(lambda: queries.read_all(con, queries.field_monthly_view({field})), {repeat}))\n"
        f"print('field_wells', med(lambda: queries.read_all(con, queries.field_wells_view({field})), {repeat}))\n"
        f"print('stats', med(lambda: queries.stats(con), {repeat}))\n"
        f"print('search', med(lambda: queries.search_wells(con, '8908-1'), {repeat}))\n"
        f"print('top_wells', med(lambda: queries.read_all(con, queries.top_wells_view(20)), {repeat}))\n"
    )
    _, _, out = child(code)
    return {line.split()[0]: float(line.split()[1]) for line in out.splitlines() if len(line.split()) == 2}


def whole_process_well(db: Path, well: int, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "wellprod_tui", "--db", str(db), "well", str(well)],
            capture_output=True, check=True, cwd=ROOT,
        )
        times.append(time.perf_counter() - started)
    return median(times)


def export_timings(db: Path, out: Path, repeat: int) -> tuple[float, float, float, float]:
    """Full CSV export, both sides warm (one untimed run first, then ``repeat`` timed), each in its own process:
    (COPY floor median s, its peak RSS MB, wellprod export median s, its peak RSS MB)."""
    steps = {
        "floor": f"con.execute(\"COPY production TO '{out}/floor.csv' (HEADER)\")",
        "export": f"export.export_view(con, queries.all_records_view(), Path({str(out)!r}) / 'all.csv', "
        "overwrite=True)",
    }
    found = []
    for step in steps.values():
        code = (
            "import time\nfrom pathlib import Path\n"
            "from wellprod_tui import export, queries, storage as store\nfrom wellprod_tui.core import config\n"
            f"con = store.connect(Path({str(db)!r}), read_only=True, settings=config.Config().duckdb_settings)\n"
            f"{step}\n"
            f"for _ in range({repeat}):\n"
            "    t = time.perf_counter()\n"
            f"    {step}\n"
            "    print('T', time.perf_counter() - t)\n"
        )
        _, rss, text = rss_of(code)
        found += [median([float(line.split()[1]) for line in text.splitlines() if line.startswith("T ")]), rss]
    return found[0], found[1], found[2], found[3]


GOALS = {"json": 2.5, "ndjson": 2.0, "csv": 2.0, "parquet": 2.0}
REIMPORT_GOAL, CHANGED_GOAL, MANY_FILES_GOAL, WELL_MS_GOAL = 1.5, 1.7, 3.0, 10.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data", type=Path, default=ROOT / "bench-data")
    parser.add_argument("--formats", default="json,ndjson,csv,parquet")
    parser.add_argument("--wells", type=int, default=831, help="per-well files of the many-files import (0: none)")
    args = parser.parse_args()
    formats = tuple(args.formats.split(","))
    needed = (*formats, *(("ndjson",) if "json" in formats else ()), "parquet")  # floors; queries read parquet
    files, changed = generate(args.records, args.data, tuple(dict.fromkeys(needed)))
    if args.wells:  # first: a few seconds, where the formats take minutes
        many_files(args)
    queries_and_export(files["parquet"], args)
    print(f"# {args.records:,} records; medians of {args.repeat} fresh processes; ratios to the floor of this run "
          "(JSON to the NDJSON floor); goal beside each ratio")
    print(f"{'format':<8} {'MB':>7} {'floor s':>8} {'floor MB':>8} {'import s':>9} {'ratio':>6} {'goal':>5} "
          f"{'peak MB':>8} {'reimport s':>10} {'ratio':>6} {'goal':>5} {'1% chg s':>9} {'ratio':>6} {'goal':>5}")
    for fmt in formats:
        floor_fmt = "ndjson" if fmt == "json" else fmt
        floors, floor_peaks, imports, peaks, reimports, revised = [], [], [], [], [], []
        for _ in range(args.repeat):
            with tempfile.TemporaryDirectory(dir=args.data) as tmp:
                seconds, rss = floor(floor_fmt, files[floor_fmt], Path(tmp) / "floor.duckdb")
                floors.append(seconds)
                floor_peaks.append(rss)
            with tempfile.TemporaryDirectory(dir=args.data) as tmp:
                db = Path(tmp) / "w.duckdb"
                seconds, rss, summary = wellprod_import(files[fmt], db)
                assert summary["inserted"] == args.records, summary
                imports.append(seconds)
                peaks.append(rss)
                again, rss, summary = wellprod_import(files[fmt], db)
                assert (summary["inserted"], summary["updated"], summary["unchanged"]) == (0, 0, args.records), summary
                reimports.append(again)
                peaks.append(rss)
                third, rss, summary = wellprod_import(changed[fmt], db)
                assert summary["inserted"] == 0 and 0 < summary["updated"] <= args.records // 100 + 1, summary
                revised.append(third)
                peaks.append(rss)
        f, i, r, c = median(floors), median(imports), median(reimports), median(revised)
        size = files[fmt].stat().st_size / 1e6
        print(f"{fmt:<8} {size:>7.0f} {f:>8.2f} {max(floor_peaks):>8.0f} {i:>9.2f} {i / f:>6.2f} {GOALS[fmt]:>5.1f} "
              f"{max(peaks):>8.0f} {r:>10.2f} {r / f:>6.2f} {REIMPORT_GOAL:>5.1f} {c:>9.2f} {c / f:>6.2f} "
              f"{CHANGED_GOAL:>5.1f}", flush=True)


def queries_and_export(parquet: Path, args: argparse.Namespace) -> None:
    """One well's history and the other questions, warm, on the records imported from Parquet; the export."""
    with tempfile.TemporaryDirectory(dir=args.data) as tmp:
        last_db = Path(tmp) / "q.duckdb"
        wellprod_import(parquet, last_db)
        timings = query_timings(last_db, 59806, 8908)
        print("# queries, warm, median ms: " + ", ".join(f"{k} {v:.1f}" for k, v in timings.items())
              + f" (one well's history goal <= {WELL_MS_GOAL:.0f} ms)")
        print(f"# `wellprod well 59806` whole process: {whole_process_well(last_db, 59806, args.repeat):.2f} s")
        copy_s, copy_mb, export_s, export_mb = export_timings(last_db, Path(tmp), args.repeat)
        print(f"# full CSV export, both warm, median of {args.repeat}: COPY floor {copy_s:.2f} s "
              f"({copy_mb:.0f} MB peak), wellprod export {export_s:.2f} s ({export_mb:.0f} MB peak), "
              f"ratio {export_s / copy_s:.2f}")


def many_files(args: argparse.Namespace) -> None:
    """Colorado-like per-well files as one import beside the same rows in one file: time and database size."""
    shared = [up / "shared" / "realdata" / "ecmc_weld_sample.csv" for up in (ROOT.parent, ROOT.parent.parent)]
    source = next((p for p in shared if p.exists()), ROOT / "tests" / "data" / "ecmc_weld_slice.csv")
    many, one = per_well_files(source, args.data, args.wells)
    found: dict[str, list[float]] = {"one": [], "many": []}
    sizes: dict[str, int] = {}
    counts: dict[str, dict[str, int]] = {}
    for _ in range(args.repeat):
        for name, path in (("one", one), ("many", many)):
            with tempfile.TemporaryDirectory(dir=args.data) as tmp:
                db = Path(tmp) / "w.duckdb"
                seconds, _, counts[name] = wellprod_import(path, db)
                found[name].append(seconds)
                sizes[name] = db.stat().st_size
    assert counts["one"] == counts["many"], counts
    o, m = median(found["one"]), median(found["many"])
    print(f"# {args.wells} per-well CSV files ({source.name}, {counts['one']['records']:,} records): one file "
          f"{o:.2f} s, the folder as one import {m:.2f} s, ratio {m / o:.2f} (goal <= {MANY_FILES_GOAL:.0f}); "
          f"database {sizes['many'] / 1e6:.1f} MB vs {sizes['one'] / 1e6:.1f} MB", flush=True)


if __name__ == "__main__":
    main()
