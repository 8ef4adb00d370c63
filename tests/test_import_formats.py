"""Every format imports the same records; the bundled sample and real public data import cleanly."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from tests.conftest import DATA, realdata, run_import, table_checksum
from wellprod_tui import queries, storage
from wellprod_tui.core.config import bundled_sample_path


def _records(con: storage.Connection) -> list[tuple]:
    return con.execute(
        "SELECT * EXCLUDE (created_at, updated_at) FROM production ORDER BY well_code, production_period"
    ).fetchall()


@pytest.mark.parametrize("fmt", ["json", "ndjson", "csv", "parquet"])
def test_each_format_imports_the_same_records(
    fmt: str, sample_files: dict[str, Path], tmp_path: Path, small_frame: pl.DataFrame
) -> None:
    reference = storage.connect(tmp_path / "ref.duckdb")
    run_import(reference, sample_files["ndjson"], tmp_path / "r")
    con = storage.connect(tmp_path / f"{fmt}.duckdb")
    summary = run_import(con, sample_files[fmt], tmp_path / "r")
    assert summary.format == fmt
    assert (summary.records, summary.inserted, summary.rejected) == (small_frame.height, small_frame.height, 0)
    assert _records(con) == _records(reference)


def test_a_top_level_json_array_imports(tmp_path: Path, con: storage.Connection, small_frame: pl.DataFrame) -> None:
    path = tmp_path / "array.json"
    path.write_text(json.dumps(small_frame.head(50).to_dicts(), indent=2))
    summary = run_import(con, path, tmp_path / "r")
    assert summary.detected_by == "content (JSON array)"
    assert summary.inserted == 50


def test_a_pretty_printed_api_response_is_split_and_read_in_parts(tmp_path: Path, con: storage.Connection) -> None:
    records = json.loads(bundled_sample_path().read_text())["data"]
    path = tmp_path / "pretty.json"
    path.write_text(json.dumps({"data": records}, indent=4, ensure_ascii=False))
    from wellprod_tui.importing import sources

    source = sources.prepare(sources.detect(path), con, parts=7)
    assert len(source.spans) == 7
    starts = [path.read_bytes()[lo:lo + 40].lstrip(b" \n,") for lo, _ in source.spans]
    assert all(start.startswith(b"{") and b'"field_code"' in start for start in starts)
    summary = run_import(con, path, tmp_path / "r")
    assert summary.inserted == len(records) == 4200


def test_the_bundled_sample_holds_the_seed_field_and_well(con: storage.Connection, rejects_dir: Path) -> None:
    summary = run_import(con, bundled_sample_path(), rejects_dir)
    assert summary.rejected == 0
    assert bundled_sample_path().stat().st_size <= 2_000_000
    assert queries.well(con, 59806)["field_code"] == 8908
    info = queries.field_info(con, 8908)
    assert info["wells"] >= 5
    stats = queries.stats(con)
    assert stats["fields"] >= 5 and stats["wells"] >= 30
    first, last = stats["first_period"], stats["last_period"]
    assert int(last[:4]) - int(first[:4]) >= 8


def test_sample_wells_decline_and_water_cut_rises(con: storage.Connection, rejects_dir: Path) -> None:
    run_import(con, bundled_sample_path(), rejects_dir)
    columns, rows = queries.read_all(con, queries.well_history_view(59806))
    oil = [r[columns.index("oil_kbd")] for r in rows if r[columns.index("days")] > 25]
    cut = [r[columns.index("water_cut")] for r in rows if r[columns.index("water_cut")] is not None]
    assert oil[0] > 3 * oil[-1]
    assert cut[-1] > cut[0] + 0.3
    assert any(r[columns.index("days")] == 0 for r in rows)  # downtime months


@pytest.mark.parametrize("name", ["volve_monthly.json", "volve_monthly.csv"])
def test_volve_imports_with_no_rejects_and_its_totals(name: str, con: storage.Connection, rejects_dir: Path) -> None:
    path = realdata(name)
    summary = run_import(con, path, rejects_dir)
    assert (summary.records, summary.rejected) == (526, 0)
    source = pl.read_csv(DATA / "volve_monthly.csv")
    expected = source.select(
        (pl.col("oil_production_kbd") * pl.col("production_period").str.to_date("%Y-%m").dt.month_end().dt.day())
        .sum()
    ).item()
    assert queries.field_info(con, 3420717)["cum_oil_kbbl"] == pytest.approx(expected, rel=1e-12)
    names = {r["well_name"] for r in queries.search_wells(con, "15/9-F")}
    assert "15/9-F-1 C" in names


def test_npd_field_totals_with_negative_corrections_match_the_source(
    con: storage.Connection, rejects_dir: Path
) -> None:
    path = DATA / "npd_fields_subset.csv"  # written with a BOM and CRLF, as the Directorate's export is
    assert path.read_bytes()[:3] == b"\xef\xbb\xbf"
    summary = run_import(con, path, rejects_dir)
    assert summary.rejected == 0
    assert summary.warning_counts.get("negative_rate", 0) > 0
    source = pl.read_csv(path).with_columns(
        days=pl.col("production_period").str.to_date("%Y-%m").dt.month_end().dt.day()
    )
    sums = source.group_by("field_code").agg(
        oil=(pl.col("oil_production_kbd") * pl.col("days")).sum(),
        gas=(pl.col("gas_production_mmcfd") * pl.col("days")).sum(),
        water=(pl.col("water_production_kbd") * pl.col("days")).sum(),
    )
    for row in sums.iter_rows(named=True):
        info = queries.field_info(con, row["field_code"])
        assert info["cum_oil_kbbl"] == pytest.approx(row["oil"], rel=1e-9, abs=1e-9)
        assert info["cum_gas_mmcf"] == pytest.approx(row["gas"], rel=1e-9, abs=1e-9)
        assert info["cum_water_kbbl"] == pytest.approx(row["water"], rel=1e-9, abs=1e-9)


@pytest.mark.skipif(not realdata("npd_fields_2022_11.csv").exists(), reason="needs ../shared/realdata")
def test_the_whole_npd_file_imports_with_zero_errors(con: storage.Connection, rejects_dir: Path) -> None:
    summary = run_import(con, realdata("npd_fields_2022_11.csv"), rejects_dir)
    assert (summary.records, summary.rejected, summary.inserted) == (23955, 0, 23955)
    assert queries.stats(con)["fields"] == pl.read_csv(realdata("npd_fields_2022_11.csv"))["field_code"].n_unique()


def test_import_is_recorded_with_its_hash(con: storage.Connection, rejects_dir: Path) -> None:
    import hashlib

    run_import(con, DATA / "volve_monthly.csv", rejects_dir)
    row = con.execute("SELECT file, sha256, format, status, records, size_bytes FROM imports").fetchone()
    assert row[1] == hashlib.sha256((DATA / "volve_monthly.csv").read_bytes()).hexdigest()
    assert row[2:] == ("csv", "completed", 526, (DATA / "volve_monthly.csv").stat().st_size)
    assert table_checksum(con)[0] == 526


@pytest.mark.parametrize(
    "wrap",
    [
        lambda records: {"count": len(records), "next": None, "links": [{"rel": "self"}], "data": records},
        lambda records: {"data": records, "meta": {"pages": [1, 2], "note": "]}"}},
        lambda records: {"status": "ok", "data": records, "next": "page-2"},
    ],
    ids=["keys-before-data", "keys-after-data", "keys-around-data"],
)
def test_an_api_response_may_carry_other_keys_around_data(
    wrap: object, tmp_path: Path, con: storage.Connection, rejects_dir: Path
) -> None:
    records = json.loads((DATA / "volve_monthly.json").read_text())["data"]
    records[3]["well_name"] = 'tricky }, {"well_code": 1, name ]'
    path = tmp_path / "wrapped.json"
    path.write_text(json.dumps(wrap(records), indent=2))  # type: ignore[operator]
    summary = run_import(con, path, rejects_dir)
    assert (summary.inserted, summary.rejected) == (526, 0)
    assert con.execute("SELECT count(*) FROM production WHERE well_name LIKE 'tricky%'").fetchone()[0] == 1


def test_field_totals_beside_well_rows_of_the_same_field_are_pointed_out(
    con: storage.Connection, rejects_dir: Path, tmp_path: Path
) -> None:
    first = run_import(con, realdata("volve_monthly.csv"), rejects_dir)
    assert not any(n.startswith("field ") for n in first.notes)
    totals = tmp_path / "volve-field-total.csv"  # as NPD publishes it: the field's id as the well code
    totals.write_text(
        (DATA / "volve_monthly.csv").read_text().splitlines()[0]
        + "\n3420717,VOLVE,3420717,FIELD-TOTAL,VOLVE (field total),2014-05,31,40,30,40,5,NPD,x,2014\n"
    )
    summary = run_import(con, totals, rejects_dir)
    assert any(n.startswith("field 3420717 VOLVE: field-level rows beside 7 well(s)") for n in summary.notes)


def test_without_named_pipes_the_api_response_imports_the_same(
    tmp_path: Path, con: storage.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    """macOS and Windows have no FIFO + sendfile: the parts are written as files, with the same result."""
    from wellprod_tui.importing import json_feed

    records = json.loads(bundled_sample_path().read_text())["data"]
    path = tmp_path / "pretty.json"
    path.write_text(json.dumps({"count": len(records), "data": records}, indent=2, ensure_ascii=False))
    run_import(con, path, tmp_path / "r1")
    with_pipes = _records(con)

    monkeypatch.setattr(json_feed, "PIPES_SUPPORTED", False)
    other = storage.connect(tmp_path / "portable.duckdb")
    try:
        summary = run_import(other, path, tmp_path / "r2")
        assert summary.inserted == len(records)
        assert _records(other) == with_pipes
    finally:
        other.close()
    assert not list((tmp_path / "r2").glob("*")), "no reports: every record imported"
