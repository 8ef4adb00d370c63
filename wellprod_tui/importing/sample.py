"""Deterministic synthetic production data, in every import format, from a few wells to millions of records.

Built with polars expressions (no per-row Python): each well gets an Arps-style decline, a rising water
cut, downtime months and a field; hashes of the row index stand in for random numbers so that the same
arguments always give the same bytes.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

FORMATS = ("json", "ndjson", "csv", "parquet")
#: Fields of the bundled sample: (code, name). 8908 is the seed's example field.
SAMPLE_FIELDS = (
    (8908, "ÆSIR NORTH"),
    (8911, "Ødegaard (West)"),
    (9120, "Blackwater Creek"),
    (9307, "Sandy Ridge/Unit B"),
    (9415, "Eagle Flats"),
    (9522, "Karlsø Deep"),
)
SEED_WELL = 59806
START_YEAR = 2012


def _uniform(index: pl.Expr, salt: int) -> pl.Expr:
    """A deterministic pseudo-random number in [0, 1) from an integer expression."""
    return (index.hash(seed=salt) % 1_000_003).cast(pl.Float64) / 1_000_003.0


def wells_frame(n_wells: int) -> pl.DataFrame:
    """One row per well: codes, names, field, start month, initial rate and decline."""
    n_fields = max(len(SAMPLE_FIELDS), n_wells // 150)
    extra = range(len(SAMPLE_FIELDS), n_fields)
    fields = pl.DataFrame(
        {
            "field_idx": range(n_fields),
            "field_code": [c for c, _ in SAMPLE_FIELDS] + [10_000 + i for i in extra],
            "field_name": [n for _, n in SAMPLE_FIELDS] + [f"FIELD {i}" for i in extra],
        },
        schema={"field_idx": pl.Int64, "field_code": pl.Int64, "field_name": pl.String},
    )
    idx = pl.int_range(0, n_wells, dtype=pl.Int64).alias("well_idx")
    frame = pl.select(idx).with_columns(
        field_idx=(pl.col("well_idx") % n_fields),
        well_code=pl.when(pl.col("well_idx") == 0).then(SEED_WELL).otherwise(59806 + pl.col("well_idx") * 7),
        start_month=(_uniform(pl.col("well_idx"), 1) * 36).cast(pl.Int64),
        months=(60 + _uniform(pl.col("well_idx"), 2) * 84).cast(pl.Int64),
        qi_kbd=0.4 + _uniform(pl.col("well_idx"), 3) * 4.6,
        decline=0.015 + _uniform(pl.col("well_idx"), 4) * 0.035,
        gor_kscf=0.6 + _uniform(pl.col("well_idx"), 5) * 1.4,
        wc_rise=0.004 + _uniform(pl.col("well_idx"), 6) * 0.01,
    )
    frame = frame.join(fields, on="field_idx").with_columns(
        well_reference=pl.format("WP-{}-{}", pl.col("field_code"), pl.col("well_idx") + 1),
        well_name=pl.format("{} {}H", pl.col("field_name").str.split(" ").list.first(), pl.col("well_idx") + 1),
    )
    return frame.sort("well_idx")


def records_frame(records: int) -> pl.DataFrame:
    """About ``records`` monthly records (exactly that many), in period order like a monthly report."""
    n_wells = max(2, records // 96 + 1)
    wells = wells_frame(n_wells)
    rows = (
        wells.with_columns(t=pl.int_ranges(0, pl.col("months")))
        .explode("t")
        .with_columns(month_index=pl.col("start_month") + pl.col("t"))
    )
    rows = rows.head(records).with_row_index("row")
    period = pl.date(START_YEAR, 1, 1).dt.offset_by(pl.format("{}mo", pl.col("month_index")))
    noise = 0.9 + _uniform(pl.col("row").cast(pl.Int64), 7) * 0.2
    down = _uniform(pl.col("well_code") * 1000 + pl.col("t"), 8)
    days_in_month = period.dt.month_end().dt.day()
    days = (
        pl.when(down < 0.04)
        .then(0)
        .when(down < 0.12)
        .then((days_in_month.cast(pl.Float64) * (0.3 + down * 4)).floor())
        .otherwise(days_in_month)
        .cast(pl.Int64)
    )
    on_fraction = days.cast(pl.Float64) / days_in_month.cast(pl.Float64)
    oil = pl.col("qi_kbd") * (-pl.col("decline") * pl.col("t")).exp() * noise * on_fraction
    water_cut = (0.05 + pl.col("wc_rise") * pl.col("t")).clip(0.0, 0.95)
    out = rows.select(
        "field_code",
        "field_name",
        "well_code",
        "well_reference",
        "well_name",
        period.dt.strftime("%Y-%m").alias("production_period"),
        days.alias("days_on_production"),
        oil.alias("oil_production_kbd"),
        (oil * pl.col("gor_kscf") * (1 + 0.01 * pl.col("t"))).alias("gas_production_mmcfd"),
        (oil * 1.03).alias("liquids_production_kbd"),
        (oil * water_cut / (1 - water_cut)).alias("water_production_kbd"),
        pl.lit("wellprod synthetic sample").alias("data_source"),
        pl.lit("wellprod sample generator").alias("source_data"),
        period.dt.year().cast(pl.String).alias("partition_0"),
    )
    return out.sort("production_period", "well_code", maintain_order=True)


def write_records(frame: pl.DataFrame, path: Path, fmt: str) -> Path:
    """Write records in ``fmt`` (json = the API response ``{"data": [...]}``); returns the path."""
    path = Path(path)
    if fmt == "ndjson":
        frame.write_ndjson(path)
    elif fmt == "csv":
        frame.write_csv(path)
    elif fmt == "parquet":
        frame.write_parquet(path)
    elif fmt == "json":
        _write_api_response(frame, path)
    else:
        raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    return path


def _write_api_response(frame: pl.DataFrame, path: Path) -> None:
    """The API response shape, streamed from NDJSON in large blocks: records joined by ',\\n'."""
    tmp = path.with_name(path.name + ".ndjson.tmp")
    frame.write_ndjson(tmp)
    try:
        with tmp.open("rb") as src, path.open("wb") as dst:
            dst.write(b'{"data": [\n')
            pending = b""
            while block := src.read(8 << 20):
                block = pending + block
                cut = block.rfind(b"\n")
                pending = block[cut + 1 :]
                dst.write(block[: cut + 1].replace(b"\n", b",\n"))
            dst.seek(dst.tell() - 2)  # drop the last ",\n"
            dst.truncate()
            dst.write(pending + b"\n]}\n")
    finally:
        tmp.unlink(missing_ok=True)


def write_sample(records: int, path: Path, fmt: str) -> Path:
    """Generate ``records`` records and write them in ``fmt``."""
    return write_records(records_frame(records), path, fmt)
