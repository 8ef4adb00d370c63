"""What the screens and the CLI show, and CSV exports of the whole result."""

from __future__ import annotations

import calendar
import csv
import io
from pathlib import Path

import pytest

from tests.conftest import run_import, table_checksum
from wellprod_tui import export, queries, storage
from wellprod_tui.core.config import bundled_sample_path
from wellprod_tui.core.domain import RECORD_COLUMNS


@pytest.fixture
def loaded(con: storage.Connection, rejects_dir: Path) -> storage.Connection:
    run_import(con, bundled_sample_path(), rejects_dir)
    return con


def test_well_history_volumes_cumulatives_water_cut_and_gor(loaded: storage.Connection) -> None:
    columns, rows = queries.read_all(loaded, queries.well_history_view(59806))
    history = [dict(zip(columns, r, strict=True)) for r in rows]
    from datetime import date

    running = 0.0
    for month in history:
        start = date.fromisoformat(month["period"] + "-01")
        days = calendar.monthrange(start.year, start.month)[1]
        assert month["oil_kbbl"] == pytest.approx(month["oil_kbd"] * days)
        running += month["oil_kbbl"]
        assert month["cum_oil_kbbl"] == pytest.approx(running)
        oil, water, gas = month["oil_kbd"], month["water_kbd"], month["gas_mmcfd"]
        assert month["water_cut"] == pytest.approx(water / (oil + water) if oil + water > 0 else None)
        assert month["gor_scf_bbl"] == pytest.approx(gas / oil * 1000 if oil > 0 else None)
    info = queries.well(loaded, 59806)
    assert info["cum_oil_kbbl"] == pytest.approx(running)
    assert info["last_period"] == history[-1]["period"]


def test_search_finds_wells_by_code_name_or_reference(loaded: storage.Connection) -> None:
    assert queries.search_wells(loaded, "59806")[0]["well_code"] == 59806
    assert {w["well_code"] for w in queries.search_wells(loaded, "æsir 1h")} >= {59806}
    assert queries.search_wells(loaded, "WP-8908-1")[0]["well_reference"].startswith("WP-8908-1")
    assert queries.search_wells(loaded, "100%") == []
    assert queries.search_fields(loaded, "8908")[0]["field_name"] == "ÆSIR NORTH"


def test_field_wells_and_monthly_totals_add_up(loaded: storage.Connection) -> None:
    info = queries.field_info(loaded, 8908)
    columns, wells = queries.read_all(loaded, queries.field_wells_view(8908))
    assert len(wells) == info["wells"]
    cum = [w[columns.index("cum_oil_kbbl")] for w in wells]
    assert cum == sorted(cum, reverse=True)
    assert sum(cum) == pytest.approx(info["cum_oil_kbbl"])
    by_name = queries.read_all(loaded, queries.field_wells_view(8908, "well_name", descending=False))
    names = [w[1] for w in by_name[1]]
    assert names == sorted(names)
    mcols, months = queries.read_all(loaded, queries.field_monthly_view(8908))
    assert months[-1][mcols.index("cum_oil_kbbl")] == pytest.approx(info["cum_oil_kbbl"])
    with pytest.raises(ValueError):
        queries.field_wells_view(8908, "well_name; DROP TABLE production")


def test_stats_and_top_lists(loaded: storage.Connection) -> None:
    stats = queries.stats(loaded)
    assert stats["records"] == 4200 and stats["wells"] == 43
    assert stats["database_bytes"] > 0 and stats["last_import"]["status"] == "completed"
    tcols, top = queries.read_all(loaded, queries.top_wells_view(10))
    assert len(top) == 10
    oils = [r[tcols.index("cum_oil_kbbl")] for r in top]
    assert oils == sorted(oils, reverse=True)
    _, fields = queries.read_all(loaded, queries.top_fields_view(10))
    assert sum(f[3] for f in fields) == pytest.approx(stats["oil_kbbl"])
    page = queries.read_page(loaded, queries.all_records_view(), offset=4000, limit=500)
    assert (page.total, len(page.rows)) == (4200, 200)


def test_unknown_well_or_field_says_so(loaded: storage.Connection) -> None:
    with pytest.raises(queries.NotFound, match="no well with code 1"):
        queries.well(loaded, 1)
    with pytest.raises(queries.NotFound, match="no field"):
        queries.field_info(loaded, 1)


def test_export_of_everything_round_trips_into_an_empty_database(
    loaded: storage.Connection, tmp_path: Path, rejects_dir: Path
) -> None:
    result = export.export_view(loaded, queries.all_records_view(), export_dir=tmp_path / "out")
    assert result.rows == 4200
    assert result.path.name.startswith("all-records-") and result.path.suffix == ".csv"
    header = result.path.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header == [*RECORD_COLUMNS, "created_at", "updated_at"]
    fresh = storage.connect(tmp_path / "fresh.duckdb")
    summary = run_import(fresh, result.path, rejects_dir)
    assert (summary.inserted, summary.rejected) == (4200, 0)
    assert summary.notes == ["ignored columns not in the record: created_at, updated_at"]
    query = "SELECT * EXCLUDE (created_at, updated_at) FROM production ORDER BY ALL"
    assert fresh.execute(query).fetchall() == loaded.execute(query).fetchall()


def test_exports_of_a_well_and_a_field_hold_every_row(loaded: storage.Connection, tmp_path: Path) -> None:
    for view, expected in (
        (queries.well_history_view(59806), queries.well(loaded, 59806)["months"]),
        (queries.field_wells_view(8908), queries.field_info(loaded, 8908)["wells"]),
        (queries.field_monthly_view(8908), queries.read_page(loaded, queries.field_monthly_view(8908)).total),
    ):
        result = export.export_view(loaded, view, export_dir=tmp_path)
        assert result.rows == expected
        with result.path.open(encoding="utf-8") as handle:
            assert sum(1 for _ in csv.reader(handle)) == expected + 1
        assert result.path.name.startswith(view.name + "-")


def test_an_export_never_overwrites_unless_asked(loaded: storage.Connection, tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "well.csv"
    target.write_text("keep me")
    with pytest.raises(export.ExportError, match="already exists"):
        export.export_view(loaded, queries.well_history_view(59806), target)
    assert target.read_text() == "keep me"
    export.export_view(loaded, queries.well_history_view(59806), target, overwrite=True)
    assert target.read_text().startswith("well_code,period,")  # a well's export says which well
    assert [p.name for p in target.parent.iterdir()] == ["well.csv"]  # no temporary file left


def test_formula_cells_are_neutralised_only_when_asked(tmp_path: Path, con: storage.Connection) -> None:
    path = tmp_path / "evil.csv"
    path.write_text(
        ",".join(RECORD_COLUMNS) + "\n"
        '1,=HYPERLINK("x"),5,@ref,+1 well,2021-01,31,1,1,1,1,-src,s,p\n', encoding="utf-8"
    )
    run_import(con, path, tmp_path / "r")
    safe = export.export_view(con, queries.all_records_view(), tmp_path / "safe.csv")
    raw = export.export_view(con, queries.all_records_view(), tmp_path / "raw.csv", neutralise_formulas=False)
    safe_row = next(csv.DictReader(io.StringIO(safe.path.read_text())))
    raw_row = next(csv.DictReader(io.StringIO(raw.path.read_text())))
    assert safe_row["field_name"] == "'=HYPERLINK(\"x\")" and safe_row["well_name"] == "'+1 well"
    assert safe_row["well_reference"] == "'@ref" and safe_row["data_source"] == "'-src"
    assert raw_row["field_name"] == '=HYPERLINK("x")' and raw_row["well_name"] == "+1 well"
    assert safe_row["oil_production_kbd"] == "1.0"


def test_export_to_a_stream_writes_the_csv(loaded: storage.Connection) -> None:
    buffer = io.BytesIO()
    rows = export.export_to_stream(loaded, queries.well_history_view(59806), buffer)
    assert buffer.getvalue().decode().count("\n") == rows + 1
    assert table_checksum(loaded)[0] == 4200


def test_the_full_export_is_in_well_and_month_order_after_small_appends(
    loaded: storage.Connection, tmp_path: Path
) -> None:
    assert storage.production_is_sorted(loaded)
    path = tmp_path / "late.csv"
    path.write_text(",".join(RECORD_COLUMNS) + "\n1,F,1,R,N,2030-01,31,1,1,1,1,s,s,p\n", encoding="utf-8")
    assert run_import(loaded, path, tmp_path / "r").inserted == 1  # appended in place, out of order
    assert not storage.production_is_sorted(loaded)
    result = export.export_view(loaded, queries.all_records_view(), tmp_path / "all.csv")
    with result.path.open(encoding="utf-8") as handle:
        keys = [(int(r["well_code"]), r["production_period"]) for r in csv.DictReader(handle)]
    assert keys == sorted(keys) and keys[0] == (1, "2030-01")


def _import_rows(con: storage.Connection, tmp_path: Path, rows: list[str]) -> None:
    path = tmp_path / "rows.csv"
    path.write_text(",".join(RECORD_COLUMNS) + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    assert run_import(con, path, tmp_path / "r").rejected == 0


def test_last_rates_and_water_cut_come_from_the_last_month_even_when_it_lacks_a_value(
    con: storage.Connection, tmp_path: Path
) -> None:
    _import_rows(con, tmp_path, ["1,F,7,R,W,2021-01,31,1,1,1,1,s,s,p", "1,F,7,R,W,2021-02,28,2,1,2,,s,s,p"])
    info = queries.well(con, 7)
    assert (info["last_oil_kbd"], info["last_water_kbd"], info["last_water_cut"]) == (2.0, None, None)
    columns, rows = queries.read_all(con, queries.field_wells_view(1))
    assert rows[0][columns.index("water_cut")] is None


def test_a_well_that_moved_between_fields_counts_in_each_for_its_own_months(
    con: storage.Connection, tmp_path: Path
) -> None:
    _import_rows(con, tmp_path, ["1,A,7,R,W,2021-01,31,1,0,1,0,s,s,p", "2,B,7,R,W,2021-02,28,2,0,2,0,s,s,p"])
    assert queries.field_info(con, 1)["cum_oil_kbbl"] == pytest.approx(31.0)
    second = queries.field_info(con, 2)
    assert second["cum_oil_kbbl"] == pytest.approx(56.0) and second["wells"] == 1
    mcols, months = queries.read_all(con, queries.field_monthly_view(2))
    assert months[-1][mcols.index("cum_oil_kbbl")] == pytest.approx(second["cum_oil_kbbl"])
    assert queries.well(con, 7)["field_code"] == 2  # the well shows the field it reports under now
    _, top = queries.read_all(con, queries.top_fields_view(10))
    assert sorted((f[0], f[2]) for f in top) == [(1, 1), (2, 1)]


def test_excel_bom_starts_the_export_with_a_byte_order_mark_and_wellprod_reads_it_back(
    loaded: storage.Connection, tmp_path: Path, con: storage.Connection
) -> None:
    plain = export.export_view(loaded, queries.well_history_view(59806), tmp_path / "plain.csv")
    marked = export.export_view(loaded, queries.well_history_view(59806), tmp_path / "bom.csv", excel_bom=True)

    assert marked.rows == plain.rows
    assert marked.path is not None and plain.path is not None
    assert marked.path.read_bytes() == b"\xef\xbb\xbf" + plain.path.read_bytes()
    rows = list(csv.DictReader(io.StringIO(marked.path.read_text(encoding="utf-8-sig"))))
    assert rows[0]["well_code"] == "59806" and len(rows) == plain.rows


def test_computed_figures_are_exported_without_float_noise(tmp_path: Path, con: storage.Connection) -> None:
    # oil 0.7, water 0.1 kbd in February 2021 (28 days): binary floating point makes the water cut
    # 0.12500000000000003 and the gas volume 0.1 x 28 = 2.8000000000000003
    path = tmp_path / "noise.csv"
    header = ",".join(RECORD_COLUMNS)
    path.write_text(f"{header}\n7,F,8,,W,2021-02,28,0.7,0.1,0.7,0.1,,,\n", encoding="utf-8")
    run_import(con, path, tmp_path / "r")
    assert (0.1 / (0.7 + 0.1), 0.1 * 28) == (0.12500000000000003, 2.8000000000000003)  # the noise to avoid

    result = export.export_view(con, queries.well_history_view(8), tmp_path / "well.csv")

    assert result.path is not None
    row = next(csv.DictReader(io.StringIO(result.path.read_text(encoding="utf-8"))))
    assert (row["water_cut"], row["gas_mmcf"], row["oil_kbd"]) == ("0.125", "2.8", "0.7")
