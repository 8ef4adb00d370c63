"""Benchmark: the Parquet lake and the Iceberg table at N records, beside the engines' own floors.

    python tests/benchmarks/bench_lake.py --records 1000000 [--spark] [--data DIR]

Export (`wellprod export --parquet`) against DuckDB's own `COPY … PARTITION_BY`; import of the lake against
DuckDB's `read_parquet` into a table; one well's history and one field's monthly totals read back from the lake
with DuckDB, polars and (with --spark) Spark local; push of the store to an Iceberg table (sqlite catalog),
pull into an empty file, then push and pull of a 1 %-changed month set; with --spark, the decline fit over
every well in Spark. Each figure is one run, in this process (Spark's start-up reported apart). It checks as it
goes: an order-free hash of the 16 columns, the round trip, and per field and month counts and integer-scaled
sums from polars and Spark equal to the store's. Not part of the default test run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402
import polars as pl  # noqa: E402

from wellprod_tui import export, storage  # noqa: E402
from wellprod_tui.core import config  # noqa: E402
from wellprod_tui.export.iceberg import push  # noqa: E402
from wellprod_tui.importing import ImportJob  # noqa: E402
from wellprod_tui.importing.iceberg import pull  # noqa: E402
from wellprod_tui.storage.lake_table import LakeTarget  # noqa: E402

T = TypeVar("T")
ALL_16 = ("well_code, production_period, field_code, field_name, well_reference, well_name, days_on_production, "
          "oil_production_kbd, gas_production_mmcfd, liquids_production_kbd, water_production_kbd, data_source, "
          "source_data, partition_0, created_at, updated_at")
RECORD_14 = ALL_16.removesuffix(", created_at, updated_at")
RATES = ("days_on_production", "oil_production_kbd", "gas_production_mmcfd", "liquids_production_kbd",
         "water_production_kbd")
SCALED = ", ".join(f"sum(CAST(round({c} * 1e6) AS BIGINT))" for c in RATES)
figures: dict[str, float] = {}


def timed(name: str, call: Callable[[], T]) -> T:
    started = time.perf_counter()
    result = call()
    figures[name] = round(time.perf_counter() - started, 3)
    print(f"{name:<44} {figures[name]:>9.3f} s", flush=True)
    return result


def import_file(db: Path, path: Path, cfg: config.Config) -> None:
    with storage.opened(db) as con:
        ImportJob.from_config(con, path, config.with_database(cfg, db)).run()


def fingerprint(con: duckdb.DuckDBPyConnection, relation: str, columns: str = ALL_16) -> tuple[Any, ...]:
    return con.execute(f"SELECT count(*), sum(hash({columns})) FROM {relation}").fetchone() or ()


def per_field_month(con: duckdb.DuckDBPyConnection, relation: str) -> list[tuple[Any, ...]]:
    return con.execute(f"SELECT field_code, production_period, count(*), {SCALED} FROM {relation} "
                       "GROUP BY ALL ORDER BY ALL").fetchall()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--spark", action="store_true", help="also Spark local (needs pyspark and Java 17)")
    parser.add_argument("--per-well", action="store_true", help="with --spark: also fit with one group per well")
    parser.add_argument("--data", type=Path, help="folder to work in (default: a temporary one)")
    args = parser.parse_args()
    work = args.data or Path(tempfile.mkdtemp(prefix="wellprod-bench-lake-"))
    work.mkdir(parents=True, exist_ok=True)
    cfg = config.Config(paths=config.Paths(rejects_dir=str(work / "rejects")))
    source = work / f"sample-{args.records}.parquet"
    if not source.exists():
        subprocess.run([sys.executable, "-m", "wellprod_tui", "sample", "--records", str(args.records), "--format",
                        "parquet", "-o", str(source)], check=True, cwd=ROOT)
    store = work / "store.duckdb"
    for leftover in work.glob("*.duckdb*"):
        leftover.unlink()
    timed("import of the sample into the store", lambda: import_file(store, source, cfg))

    lake, floor = work / "lake", work / "floor"
    for folder in (lake, floor):
        subprocess.run(["rm", "-rf", str(folder)], check=True)
    with storage.opened(store, read_only=True) as con:
        timed("export --parquet (lake)", lambda: export.export_lake(con, lake))
        timed("floor: DuckDB COPY ... PARTITION_BY (year)", lambda: con.execute(
            f"COPY (SELECT {ALL_16}, year(production_period) AS year FROM production) TO '{floor}' "
            "(FORMAT parquet, PARTITION_BY (year), COMPRESSION zstd)"))
        stored = fingerprint(con, "production")
        stored_records = fingerprint(con, "production", RECORD_14)
        expected = per_field_month(con, "production")
        well, field = con.execute("SELECT well_code, field_code FROM production USING SAMPLE 1 ROWS").fetchone() or ()
    reader = duckdb.connect()
    files = f"read_parquet('{lake}/*/*.parquet', hive_partitioning = true)"
    assert fingerprint(reader, files) == stored, "the lake holds the store's 16 columns"

    second = work / "second.duckdb"
    timed("import of the lake (one import)", lambda: import_file(second, lake, cfg))
    timed("floor: DuckDB CREATE TABLE AS read_parquet", lambda: duckdb.connect().execute(
        f"CREATE TABLE t AS SELECT * FROM read_parquet('{lake}/*/*.parquet')"))
    with storage.opened(second, read_only=True) as con:
        assert fingerprint(con, "production", RECORD_14) == stored_records, "export then import is an identity"

    timed("DuckDB: one well's history", lambda: reader.execute(
        f"SELECT * FROM {files} WHERE well_code = {well} ORDER BY production_period").fetchall())
    timed("DuckDB: a field's monthly totals", lambda: reader.execute(
        f"SELECT production_period, sum(oil_production_kbd) FROM {files} WHERE field_code = {field} "
        "GROUP BY 1 ORDER BY 1").fetchall())
    scan = pl.scan_parquet(lake / "**/*.parquet", hive_partitioning=True)
    timed("polars: one well's history", lambda: scan.filter(pl.col("well_code") == well)
          .sort("production_period").collect())
    timed("polars: a field's monthly totals", lambda: scan.filter(pl.col("field_code") == field)
          .group_by("production_period").agg(pl.col("oil_production_kbd").sum()).sort("production_period").collect())
    by_polars = timed("polars: every field and month, counts and sums", lambda: scan.group_by(
        "field_code", "production_period").agg(pl.len(), *[(pl.col(c) * 1e6).round().cast(pl.Int64).sum()
                                                           for c in RATES]).sort("field_code", "production_period")
        .collect().rows())
    assert by_polars == expected, "polars sums each field and month as the store does"

    lake_months(work, store, cfg)
    if args.spark:
        spark_figures(lake, well, field, expected, args.per_well)
    print(json.dumps({"records": args.records, "seconds": figures}, indent=2))


def lake_months(work: Path, store: Path, cfg: config.Config) -> None:
    """Push all, pull all into an empty file, then push and pull a 1 % changed month set."""
    target = LakeTarget("sql", f"sqlite:///{work}/catalog.sqlite", (work / "warehouse").as_uri(), "bench.production")
    subprocess.run(["rm", "-rf", str(work / "warehouse"), str(work / "catalog.sqlite")], check=True)
    third = work / "third.duckdb"
    with storage.opened(store) as con:
        timed("lake push: every month", lambda: push(con, target))
    with storage.opened(third) as con:
        timed("lake pull: every month into an empty file", lambda: pull(con, config.with_database(cfg, third), target))
    changed = work / "changed.parquet"
    with storage.opened(store) as con:
        months = con.execute("SELECT DISTINCT production_period FROM production ORDER BY 1").fetchall()
        chosen = [m for i, (m,) in enumerate(months) if i % 100 == 50] or [months[-1][0]]
        listed = ", ".join(f"'{m}'" for m in chosen)
        con.execute(f"""COPY (SELECT * EXCLUDE (created_at, updated_at)
            REPLACE (round(oil_production_kbd * 1.01, 6) AS oil_production_kbd)
            FROM production WHERE production_period IN ({listed})) TO '{changed}'""")
    print(f"changed months: {len(chosen)} of {len(months)}")
    timed("import of the 1 % change", lambda: import_file(store, changed, cfg))
    with storage.opened(store) as con:
        result = timed("lake push: the 1 % changed months", lambda: push(con, target))
        assert result.months == len(chosen), result
        stored = fingerprint(con, "production", RECORD_14)
    with storage.opened(third) as con:
        pulled = timed("lake pull: the 1 % changed months", lambda: pull(con, config.with_database(cfg, third), target))
        assert pulled.months == len(chosen), pulled
        assert fingerprint(con, "production", RECORD_14) == stored, "push then pull gives the same table"


def spark_figures(lake: Path, well: int, field: int, expected: list[tuple[Any, ...]], per_well: bool) -> None:
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ["PYSPARK_PYTHON"] = os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F  # noqa: N812

    from wellprod_tui.decline.spark import FIT_SCHEMA, wellprod_fit

    spark = timed("Spark: session start (local[2])", lambda: SparkSession.builder.master("local[2]")
                  .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
                  .config("spark.sql.shuffle.partitions", "8")
                  .config("spark.driver.memory", "2g").config("spark.sql.session.timeZone", "UTC").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    frame = spark.read.parquet(str(lake))
    timed("Spark: one well's history", lambda: frame.filter(F.col("well_code") == well)
          .orderBy("production_period").collect())
    timed("Spark: a field's monthly totals", lambda: frame.filter(F.col("field_code") == field)
          .groupBy("production_period").agg(F.sum("oil_production_kbd")).orderBy("production_period").collect())
    sums = [F.sum(F.round(F.col(c) * 1e6).cast("long")) for c in RATES]
    rows = timed("Spark: every field and month, counts and sums", lambda: frame.groupBy(
        "field_code", "production_period").agg(F.count(F.lit(1)), *sums)
        .orderBy("field_code", "production_period").collect())
    assert [tuple(r) for r in rows] == expected, "Spark sums each field and month as the store does"
    wells = frame.select("well_code").distinct().count()
    groups = {"64 buckets": F.abs(F.hash("well_code")) % 64, "one group per well": F.col("well_code")}
    for name, group in groups.items():
        if name != "64 buckets" and not per_well:
            continue
        fitted = timed(f"Spark: decline fit of {wells:,} wells ({name})", lambda g=group: frame
                       .withColumn("bucket", g).groupBy("bucket").applyInPandas(wellprod_fit, FIT_SCHEMA).count())
        assert fitted == wells
    spark.stop()


if __name__ == "__main__":
    main()
