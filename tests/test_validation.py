"""Each rule: errors reject the row with a reason in the rejects file, warnings import it and are counted."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.conftest import import_job, run_import, table_checksum
from wellprod_tui import importing, storage

GOOD = {
    "field_code": 8908,
    "field_name": "ÆSIR",
    "well_code": 59806,
    "well_reference": "W-1",
    "well_name": "Ø 1",
    "production_period": "2021-04",
    "days_on_production": 30,
    "oil_production_kbd": 1.5,
    "gas_production_mmcfd": 2.0,
    "liquids_production_kbd": 1.6,
    "water_production_kbd": 0.5,
    "data_source": "test",
    "source_data": "unit",
    "partition_0": "2021",
}


def _write_ndjson(path: Path, records: list[dict]) -> Path:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    return path


def _rejects(summary: importing.ImportSummary) -> list[dict[str, str]]:
    assert summary.rejects_file
    with open(summary.rejects_file, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        ({"well_code": None}, "well_code", "missing"),
        ({"production_period": ""}, "production_period", "missing"),
        ({"oil_production_kbd": "abc"}, "oil_production_kbd", "not a finite number"),
        ({"gas_production_mmcfd": "NaN"}, "gas_production_mmcfd", "not a finite number"),
        ({"water_production_kbd": "Infinity"}, "water_production_kbd", "not a finite number"),
        ({"production_period": "2021-13"}, "production_period", "not a month"),
        ({"production_period": "2021-00"}, "production_period", "not a month"),
        ({"production_period": "21-01"}, "production_period", "not a month"),
        ({"production_period": "2021/01"}, "production_period", "not a month"),
        ({"days_on_production": 32, "production_period": "2021-01"}, "days_on_production", "outside 0..31"),
        ({"days_on_production": -1}, "days_on_production", "outside 0..30"),
        ({"days_on_production": 31}, "days_on_production", "outside 0..30 (days in 2021-04)"),
        ({"well_code": 123456789012345}, "well_code", "not an integer code"),
        ({"well_code": -5}, "well_code", "not an integer code"),
        ({"well_code": 12.5}, "well_code", "not an integer code"),
        ({"field_code": "x1"}, "field_code", "not an integer code"),
    ],
)
def test_a_bad_value_rejects_the_row_with_its_reason(
    change: dict, field: str, reason: str, tmp_path: Path, con: storage.Connection, rejects_dir: Path
) -> None:
    other = {**GOOD, "well_code": 1}
    path = _write_ndjson(tmp_path / "in.ndjson", [other, {**GOOD, **change}])
    summary = run_import(con, path, rejects_dir)
    assert (summary.inserted, summary.rejected) == (1, 1)
    rows = _rejects(summary)
    assert any(r["field"] == field and reason in r["reason"] and r["record"] == r["line"] == "2" for r in rows), rows
    assert summary.first_rejects[0]["record"] == 2


@pytest.mark.parametrize(
    ("value", "stored"),
    [("12.5", 12.5), (" 7 ", 7.0), ("1e-3", 0.001)],
)
def test_numbers_written_as_strings_are_accepted(
    value: str, stored: float, tmp_path: Path, con: storage.Connection, rejects_dir: Path
) -> None:
    path = _write_ndjson(tmp_path / "in.ndjson", [{**GOOD, "oil_production_kbd": value}])
    assert run_import(con, path, rejects_dir).rejected == 0
    assert con.execute("SELECT oil_production_kbd FROM production").fetchone()[0] == stored


@pytest.mark.parametrize("period", ["2021-04", "2021-04-01", "202104", "2021-04-30"])
def test_a_month_is_accepted_in_each_documented_form(
    period: str, tmp_path: Path, con: storage.Connection, rejects_dir: Path
) -> None:
    path = _write_ndjson(tmp_path / "in.ndjson", [{**GOOD, "production_period": period}])
    assert run_import(con, path, rejects_dir).rejected == 0
    assert str(con.execute("SELECT production_period FROM production").fetchone()[0]) == "2021-04-01"


def test_csv_values_read_the_same_padded_or_not_and_bad_ones_are_still_rejected(
    tmp_path: Path, con: storage.Connection, rejects_dir: Path
) -> None:
    header = ",".join(GOOD)
    rows = [  # well, month, days, oil: plain, padded, other spellings; then values no rule accepts
        ("59806", "2021-01", "31", "1.5"), (" 59807 ", " 2021-01 ", " 31 ", " 1.5 "),
        ("59808.0", "202101", "31", "1e0"),
        ("-0", "2021-01-31", "31", "\t2"), ("1_000", "2021-01", "31", "1"), ("59809", "2021-1", "31", "1"),
        ("59810", "2021-01", "3_1", "1"), ("59811", "2021-01-32", "31", "1"), ("123456789012345", "2021-01", "31", "1"),
    ]
    lines = [header] + [
        ",".join(str(v) for v in {**GOOD, "well_code": w, "production_period": m, "days_on_production": d,
                                  "oil_production_kbd": o}.values())
        for w, m, d, o in rows
    ]
    path = tmp_path / "padded.csv"
    path.write_text("\n".join(lines) + "\n")
    summary = run_import(con, path, rejects_dir)
    stored = con.execute(
        "SELECT well_code, strftime(production_period, '%Y-%m'), days_on_production, oil_production_kbd "
        "FROM production ORDER BY well_code"
    ).fetchall()
    assert stored == [(0, "2021-01", 31, 2.0), (59806, "2021-01", 31, 1.5), (59807, "2021-01", 31, 1.5),
                      (59808, "2021-01", 31, 1.0)]
    assert summary.rejected == 5
    assert sorted(r["field"] for r in _rejects(summary)) == [
        "days_on_production", "production_period", "production_period", "well_code", "well_code"]


def test_a_14_digit_api_number_is_a_valid_code(tmp_path: Path, con: storage.Connection, rejects_dir: Path) -> None:
    path = _write_ndjson(tmp_path / "in.ndjson", [{**GOOD, "well_code": 42501201230000}])
    assert run_import(con, path, rejects_dir).inserted == 1
    assert con.execute("SELECT well_code FROM production").fetchone()[0] == 42501201230000


def test_a_second_row_for_the_same_well_and_month_is_a_duplicate(
    tmp_path: Path, con: storage.Connection, rejects_dir: Path
) -> None:
    records = [{**GOOD, "well_code": 1}, GOOD, {**GOOD, "oil_production_kbd": 9.0}, GOOD]
    summary = run_import(con, _write_ndjson(tmp_path / "in.ndjson", records), rejects_dir)
    assert (summary.inserted, summary.rejected) == (2, 2)
    reasons = {r["record"]: r["reason"] for r in _rejects(summary)}
    assert reasons == {
        "3": "duplicate of record 2 (other values; the first is kept; --duplicates sum adds them up)",
        "4": "duplicate of record 2 (same values)",
    }
    assert con.execute("SELECT oil_production_kbd FROM production WHERE well_code = 59806").fetchone()[0] == 1.5


def test_warnings_import_the_row_and_are_counted(tmp_path: Path, con: storage.Connection, rejects_dir: Path) -> None:
    records = [
        {**GOOD, "well_code": 1, "water_production_kbd": -0.01},
        {**GOOD, "well_code": 2, "days_on_production": 0},
        {**GOOD, "well_code": 3, "liquids_production_kbd": 1.0},
        GOOD,
    ]
    summary = run_import(con, _write_ndjson(tmp_path / "in.ndjson", records), rejects_dir)
    assert (summary.inserted, summary.rejected, summary.warnings) == (4, 0, 3)
    assert summary.warning_counts == {"negative_rate": 1, "production_without_days": 1, "liquids_below_oil": 1}


def test_strict_imports_nothing_when_a_row_is_rejected(
    tmp_path: Path, con: storage.Connection, rejects_dir: Path
) -> None:
    run_import(con, _write_ndjson(tmp_path / "first.ndjson", [GOOD]), rejects_dir)
    before = table_checksum(con)
    path = _write_ndjson(tmp_path / "in.ndjson", [{**GOOD, "well_code": 2}, {**GOOD, "days_on_production": 99}])
    with pytest.raises(importing.ImportFailed, match="rejected row"):
        run_import(con, path, rejects_dir, strict=True)
    assert table_checksum(con) == before
    assert len(list(rejects_dir.glob("*.csv"))) == 1  # the reasons are still written
    status = con.execute("SELECT status FROM imports ORDER BY id DESC LIMIT 1").fetchone()[0]
    assert status == "failed"


def test_csv_rows_with_wrong_column_counts_are_rejected_with_their_line(
    tmp_path: Path, con: storage.Connection, rejects_dir: Path
) -> None:
    header = ",".join(GOOD)
    good = ",".join(str(v) for v in GOOD.values())
    path = tmp_path / "in.csv"
    path.write_text(f"{header}\n{good}\n{good},extra\n8908,short\n", encoding="utf-8")
    summary = run_import(con, path, rejects_dir)
    assert (summary.inserted, summary.rejected, summary.records) == (1, 2, 3)
    lines = sorted(r["line"] for r in _rejects(summary))
    assert lines == ["3", "4"]


def test_extra_columns_are_ignored_and_said_once(tmp_path: Path, con: storage.Connection, rejects_dir: Path) -> None:
    path = _write_ndjson(tmp_path / "in.ndjson", [GOOD])
    csv_path = tmp_path / "in.csv"
    csv_path.write_text("comment," + ",".join(GOOD) + "\nhello," + ",".join(str(v) for v in GOOD.values()) + "\n")
    summary = run_import(con, csv_path, rejects_dir)
    assert summary.inserted == 1
    assert summary.notes == ["ignored columns not in the record: comment"]
    assert run_import(con, path, rejects_dir).unchanged == 1


def test_a_reordered_csv_header_maps_columns_by_name(
    tmp_path: Path, con: storage.Connection, rejects_dir: Path
) -> None:
    names = list(reversed(GOOD))
    path = tmp_path / "in.csv"
    path.write_text(",".join(names) + "\n" + ",".join(str(GOOD[n]) for n in names) + "\n", encoding="utf-8")
    assert run_import(con, path, rejects_dir).inserted == 1
    row = con.execute("SELECT well_code, well_name, oil_production_kbd FROM production").fetchone()
    assert row == (59806, "Ø 1", 1.5)


def test_a_csv_reject_names_its_line(tmp_path: Path, con: storage.Connection, rejects_dir: Path) -> None:
    header = ",".join(GOOD)
    rows = [",".join(str(v) for v in {**GOOD, "well_code": n}.values()) for n in range(1, 5)]
    rows[2] = rows[2].replace("2021-04", "2021-13")
    path = tmp_path / "in.csv"
    path.write_text(header + "\r\n" + "\r\n".join(rows) + "\r\n", encoding="utf-8")
    summary = run_import(con, path, rejects_dir)
    assert summary.first_rejects[0]["record"] == 3 and summary.first_rejects[0]["line"] == 4
    assert _rejects(summary)[0]["line"] == "4"


@pytest.mark.parametrize("fmt", ["ndjson", "json"])
def test_true_or_false_in_a_number_field_is_rejected_whatever_else_the_file_holds(
    fmt: str, tmp_path: Path, con: storage.Connection, rejects_dir: Path
) -> None:
    records = [
        {**GOOD, "well_code": 1},
        {**GOOD, "oil_production_kbd": True},
        {**GOOD, "well_code": 3, "days_on_production": False},
    ]
    path = tmp_path / f"in.{fmt}"
    if fmt == "json":
        path.write_text(json.dumps({"data": records}), encoding="utf-8")
    else:
        _write_ndjson(path, records)
    summary = run_import(con, path, rejects_dir)
    assert (summary.inserted, summary.rejected) == (1, 2)
    assert {(r["field"], r["value"]) for r in _rejects(summary)} == {
        ("oil_production_kbd", "true"),
        ("days_on_production", "false"),
    }


def test_a_field_holding_a_list_of_objects_does_not_split_a_record(
    tmp_path: Path, con: storage.Connection, rejects_dir: Path
) -> None:
    records = [{**GOOD, "well_code": n, "tags": [{"k": 1}, {"k": 2}]} for n in range(1, 401)]
    path = tmp_path / "nested.json"
    path.write_text(json.dumps({"data": records}), encoding="utf-8")
    summary = run_import(con, path, rejects_dir)
    assert (summary.inserted, summary.rejected) == (400, 0)
    assert summary.notes == ["ignored columns not in the record: tags"]


def test_csv_records_count_the_lines_the_reader_set_aside(
    tmp_path: Path, con: storage.Connection, rejects_dir: Path
) -> None:
    header = ",".join(GOOD)
    rows = [",".join(str(v) for v in {**GOOD, "well_code": n}.values()) for n in range(1, 7)]
    rows[1] = "8908,too,short"  # line 3: set aside by the reader
    rows[3] = rows[3].replace("2021-04", "2021-13")  # line 5: a bad month
    path = tmp_path / "in.csv"
    path.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    summary = run_import(con, path, rejects_dir)
    found = {(r["record"], r["line"], r["reason"].split(":")[0]) for r in _rejects(summary)}
    assert found == {("2", "3", "too few columns"), ("4", "5", "not a month (YYYY-MM, YYYY-MM-01 or YYYYMM)")}
    month = next(r for r in _rejects(summary) if r["field"] == "production_period")
    assert month["production_period"] == "2021-13" and month["days_on_production"] == "30"


def test_rows_with_warnings_are_listed_in_their_own_file(
    tmp_path: Path, con: storage.Connection, rejects_dir: Path
) -> None:
    records = [{**GOOD, "well_code": 1, "water_production_kbd": -0.5}, {**GOOD, "well_code": 2}]
    summary = run_import(con, _write_ndjson(tmp_path / "in.ndjson", records), rejects_dir)
    assert summary.rejects_file is None and summary.warnings_file
    with open(summary.warnings_file, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["record"], r["line"], r["warning"], r["well_code"]) for r in rows] == [
        ("1", "1", "negative rate (metering correction)", "1")
    ]


def test_a_row_with_an_infinite_number_and_a_bad_month_lists_both(
    tmp_path: Path, con: storage.Connection, rejects_dir: Path
) -> None:
    path = tmp_path / "in.ndjson"
    path.write_text(
        '{"well_code": 1, "production_period": "2021-13", "days_on_production": 1e400}\n'
        '{"well_code": 2, "production_period": "2021-01", "days_on_production": 3}\n'
    )
    summary = run_import(con, path, rejects_dir)
    assert (summary.inserted, summary.rejected) == (1, 1)
    assert sorted(r["field"] for r in _rejects(summary)) == ["days_on_production", "production_period"]


def test_a_nightly_reimport_keeps_only_the_newest_reports_of_each_kind(
    tmp_path: Path, con: storage.Connection, rejects_dir: Path
) -> None:
    from wellprod_tui.importing.rejects import prune_reports

    feed = _write_ndjson(tmp_path / "feed.ndjson", [{**GOOD, "well_code": "abc"}, GOOD])
    other = _write_ndjson(tmp_path / "other.ndjson", [{**GOOD, "well_code": "abc"}, GOOD])
    rejects_dir.mkdir(parents=True, exist_ok=True)
    for stamp in ("20260101T000000", "20260102T000000", "20260103T000000"):  # three older nights
        (rejects_dir / f"feed-{stamp}-rejects.csv").write_text("old\n", encoding="utf-8")
    run_import(con, other, rejects_dir)

    job = import_job(con, feed, rejects_dir, keep_reports=2)
    summary = job.run()

    kept = sorted(p.name for p in rejects_dir.glob("feed-*-rejects.csv"))
    assert len(kept) == 2 and Path(str(summary.rejects_file)).name in kept
    assert "feed-20260103T000000-rejects.csv" in kept  # the newest older one stays beside it
    assert len(list(rejects_dir.glob("other-*-rejects.csv"))) == 1  # another feed's reports are its own
    assert prune_reports(rejects_dir, feed, "rejects", 0) == []
