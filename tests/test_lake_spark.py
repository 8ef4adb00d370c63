"""Spark in local mode reads the lake ``wellprod export --parquet`` writes: per field and month it counts and
sums exactly what the store holds, and the decline fit run inside it (applyInPandas over buckets of wells)
gives each well the answer ``wellprod decline WELL`` gives. One Spark session for the module: it takes
seconds to start. Needs the spark extra (README's test command installs it); skipped only without Java."""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_import
from tests.helpers.cli import run_cli
from wellprod_tui import export, storage
from wellprod_tui.core.config import bundled_sample_path

if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    pytest.skip("Spark needs Java (17), and there is no java on this machine", allow_module_level=True)

RATES = ("days_on_production", "oil_production_kbd", "gas_production_mmcfd", "liquids_production_kbd",
         "water_production_kbd")


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ["PYSPARK_PYTHON"] = os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    from pyspark.sql import SparkSession

    session = (SparkSession.builder.master("local[2]").appName("wellprod-tests")
               .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4")
               .config("spark.sql.session.timeZone", "UTC").getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def sample_lake(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("spark")
    db = folder / "sample.duckdb"
    with storage.opened(db) as con:
        run_import(con, bundled_sample_path(), folder / "rejects")
        export.export_lake(con, folder / "lake")
    return db, folder / "lake"


def test_spark_counts_and_sums_each_field_month_exactly_as_the_store(
    spark: Any, sample_lake: tuple[Path, Path]
) -> None:
    from pyspark.sql import functions as F  # noqa: N812

    db, lake = sample_lake
    frame = spark.read.parquet(str(lake))
    assert frame.count() == 4200 and "year" in frame.columns
    sums = [F.sum(F.round(F.col(c) * 1e6).cast("long")).alias(c) for c in RATES]
    got = (frame.groupBy("field_code", "production_period").agg(F.count(F.lit(1)).alias("rows"), *sums)
           .orderBy("field_code", "production_period").collect())
    scaled = ", ".join(f"sum(CAST(round({c} * 1e6) AS BIGINT))" for c in RATES)
    with storage.opened(db, read_only=True) as con:
        expected = con.execute(f"SELECT field_code, production_period, count(*), {scaled} FROM production "
                               "GROUP BY ALL ORDER BY ALL").fetchall()
    assert [tuple(row) for row in got] == expected


def test_the_fit_in_spark_gives_each_well_what_wellprod_decline_gives(
    spark: Any, sample_lake: tuple[Path, Path]
) -> None:
    from pyspark.sql import functions as F  # noqa: N812

    from wellprod_tui.decline.spark import FIT_SCHEMA, wellprod_fit

    db, lake = sample_lake
    fits = (spark.read.parquet(str(lake)).withColumn("bucket", F.abs(F.hash("well_code")) % 8)
            .groupBy("bucket").applyInPandas(wellprod_fit, FIT_SCHEMA).orderBy("well_code").collect())
    with storage.opened(db, read_only=True) as con:
        wells = [c for (c,) in con.execute("SELECT DISTINCT well_code FROM production ORDER BY 1").fetchall()]
    assert [row.well_code for row in fits] == wells
    fitted = 0
    for row in fits:
        answer = run_cli("decline", str(row.well_code), "--json", db=db)
        if row.reason:
            assert answer.code != 0, row
            continue
        fitted += 1
        cli = json.loads(answer.stdout)
        assert (row.model, row.fit_start, row.fit_end, row.points) == (
            cli["model"], cli["fit_start"], cli["fit_end"], cli["points"])
        for name in ("qi", "b", "di_nominal", "rmse_log", "cum_to_date", "remaining", "eur"):
            assert getattr(row, name) == pytest.approx(cli[name], rel=1e-9, abs=1e-12), (row.well_code, name)
    assert fitted >= 30
