"""What an import does with rows of one file that repeat a well and month: the duplicates policy."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.conftest import run_import
from wellprod_tui import storage
from wellprod_tui.core import config
from wellprod_tui.core.domain import RECORD_COLUMNS

HEADER = ",".join(RECORD_COLUMNS)
#: Well 7 reports May 2021 three times, as a Colorado well reports once per formation.
ROWS = [
    "1,F,7,,W7,2021-05,20,1.0,2.0,1.0,0.5,,,CODELL",
    "1,F,7,,W7,2021-05,31,0.5,1.0,0.5,0.25,,,NIOBRARA",
    "1,F,8,,W8,2021-05,31,3.0,0.0,3.0,0.0,,,NIOBRARA",
    "1,F,7,,W7,2021-05,25,0.25,0.5,0.25,0.0,,,FORT HAYS",
]


@pytest.fixture
def repeated(tmp_path: Path) -> Path:
    path = tmp_path / "formations.csv"
    path.write_text("\n".join([HEADER, *ROWS]) + "\n")
    return path


def _well_7(con: storage.Connection) -> tuple:
    return con.execute(
        """SELECT days_on_production, oil_production_kbd, gas_production_mmcfd, water_production_kbd, partition_0
           FROM production WHERE well_code = 7"""
    ).fetchone()


def _named(path: str | None) -> list[dict[str, str]]:
    assert path is not None
    with open(path, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_reject_keeps_the_first_and_rejects_the_others(
    repeated: Path, con: storage.Connection, rejects_dir: Path
) -> None:
    summary = run_import(con, repeated, rejects_dir)
    assert (summary.inserted, summary.rejected, summary.duplicates_merged) == (2, 2, 0)
    assert _well_7(con) == (20, 1.0, 2.0, 0.5, "CODELL")
    assert [r["record"] for r in _named(summary.rejects_file)] == ["2", "4"]


@pytest.mark.parametrize(
    ("policy", "kept"),
    [("first", (20, 1.0, 2.0, 0.5, "CODELL")), ("last", (25, 0.25, 0.5, 0.0, "FORT HAYS"))],
)
def test_first_or_last_keeps_one_row_and_names_the_others_as_left_out(
    policy: str, kept: tuple, repeated: Path, con: storage.Connection, rejects_dir: Path
) -> None:
    summary = run_import(con, repeated, rejects_dir, duplicates=policy)
    assert (summary.inserted, summary.rejected, summary.duplicates_merged) == (2, 0, 2)
    assert _well_7(con) == kept
    left_out = [r for r in _named(summary.warnings_file) if "left out" in r["warning"]]
    assert len(left_out) == 2 and all(f"duplicates = {policy}" in r["warning"] for r in left_out)
    assert any(f"({policy} kept)" in n for n in summary.notes)


def test_sum_adds_the_rates_takes_the_largest_days_and_joins_the_formations(
    repeated: Path, con: storage.Connection, rejects_dir: Path
) -> None:
    summary = run_import(con, repeated, rejects_dir, duplicates="sum")
    assert (summary.inserted, summary.rejected, summary.duplicates_merged) == (2, 0, 2)
    days, oil, gas, water, formations = _well_7(con)
    assert (days, formations) == (31, "CODELL + FORT HAYS + NIOBRARA")
    assert (oil, gas, water) == pytest.approx((1.75, 3.5, 0.75))
    assert con.execute("SELECT oil_production_kbd FROM production WHERE well_code = 8").fetchone()[0] == 3.0
    added = [r for r in _named(summary.warnings_file) if "added into it" in r["warning"]]
    assert sorted(r["record"] for r in added) == ["2", "4"]
    assert {r["partition_0"] for r in added} == {"NIOBRARA", "FORT HAYS"}  # the rows as the file had them
    assert any(n.startswith("2 row(s) repeating a well and month added into 1 row(s)") for n in summary.notes)


def test_the_config_sets_the_policy_and_refuses_an_unknown_one(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[import]\nduplicates = "sum"\n')
    assert config.load(path).import_.duplicates == "sum"
    path.write_text('[import]\nduplicates = "average"\n')
    with pytest.raises(config.ConfigError, match="must be one of reject, first, last, sum, not 'average'"):
        config.load(path)


def test_sum_applies_the_rate_bound_to_the_added_up_record(tmp_path: Path, con: storage.Connection,
                                                           rejects_dir: Path) -> None:
    path = tmp_path / "big.csv"
    rows = [f"1,F,7,,W7,2021-05,31,9000,0,9000,0,,,{zone}" for zone in ("CODELL", "NIOBRARA", "FORT HAYS")]
    path.write_text("\n".join([HEADER, *rows, "1,F,8,,W8,2021-05,31,27000,0,27000,0,,,CODELL"]) + "\n")
    summary = run_import(con, path, rejects_dir, duplicates="sum")
    assert (summary.inserted, summary.rejected) == (0, 4)  # three rows of 9,000 are no more a record than one of 27,000
    reasons = {(r["record"], r["field"]): r["reason"] for r in _named(summary.rejects_file)}
    assert reasons[("2", "oil_production_kbd")].startswith("the 3 rows of this well and month add up beyond 10,000 kbd")
    assert reasons[("4", "oil_production_kbd")].startswith("beyond 10,000 kbd")


def test_sum_rejects_rows_of_one_well_and_month_in_different_fields_naming_both(
    tmp_path: Path, con: storage.Connection, rejects_dir: Path
) -> None:
    path = tmp_path / "fields.csv"
    path.write_text("\n".join([HEADER, ROWS[0], ROWS[1].replace("1,F,7", "2,G,7", 1), ROWS[2]]) + "\n")
    summary = run_import(con, path, rejects_dir, duplicates="sum")
    assert (summary.inserted, summary.rejected) == (1, 2)
    rejected = _named(summary.rejects_file)
    assert {(r["record"], r["field"], r["value"]) for r in rejected} == {
        ("1", "field_code", "1 and 2"), ("2", "field_code", "1 and 2")}
    assert _well_7(con) is None  # neither field's volumes stored as the other's


def test_sum_adds_no_month_up_from_part_of_its_rows(repeated: Path, con: storage.Connection,
                                                    rejects_dir: Path) -> None:
    repeated.write_text(repeated.read_text().replace(",0.5,1.0,0.5,0.25,", ",n/a,1.0,0.5,0.25,"))
    summary = run_import(con, repeated, rejects_dir, duplicates="sum")
    assert (summary.inserted, summary.rejected) == (1, 3)  # well 8 only: well 7's May without NIOBRARA is not May
    assert _well_7(con) is None
    reasons = {r["record"]: r["reason"] for r in _named(summary.rejects_file)}
    assert reasons["2"] == "not a finite number"
    assert reasons["1"].startswith("another row of this well and month is rejected") and reasons["4"] == reasons["1"]
