"""``wellprod decline --all | --wells … | --field CODE --each``: one table of every well's fit, equal to what
``wellprod decline WELL`` says of each well."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import DATA
from tests.helpers.cli import run_cli

VOLVE_FIELD = 3420717
COMPARED = ("model", "qi", "b", "di_nominal", "di_secant", "di_tangent", "dmin_nominal", "cum_to_date", "remaining",
            "eur", "fit_start", "fit_end", "points", "rmse_log", "limit_month", "flags")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("batch") / "batch.duckdb"
    for name in ("volve_monthly.csv", "ecmc_weld_slice.csv"):
        assert run_cli("import", str(DATA / name), db=path).code == 0
    return path


def answer(db: Path, *args: str) -> Any:
    result = run_cli("decline", *args, "--json", db=db)
    assert result.code == 0, result.stderr
    return json.loads(result.stdout)


def same(batch_value: Any, single_value: Any) -> bool:
    if isinstance(single_value, float) and isinstance(batch_value, float):
        return batch_value == pytest.approx(single_value, rel=1e-9, abs=1e-12)
    return bool(batch_value == single_value)


@pytest.mark.parametrize("options", [(), ("--phase", "gas", "--qel", "0.01"), ("--basis", "producing", "--b", "0.8",
                                                                          "--dmin", "0.1", "--years", "12")])
def test_every_row_of_the_batch_equals_decline_of_that_well(db: Path, options: tuple[str, ...]) -> None:
    table = answer(db, "--all", *options)
    fitted = [row for row in table["well_list"] if not row["reason"]]
    assert len(fitted) >= 6 and table["fitted"] == len(fitted)
    for row in table["well_list"]:
        single = run_cli("decline", str(row["well_code"]), *options, "--json", db=db)
        if row["reason"]:
            assert single.code != 0 and row["reason"] in single.stderr
            continue
        alone = json.loads(single.stdout)
        alone["flags"] = [flag["name"] for flag in alone["flags"]]
        row["flags"] = list(row["flags"])
        differ = {k: (row[k], alone[k]) for k in COMPARED if not same(row[k], alone[k])}
        assert not differ, f"well {row['well_code']}: {differ}"


def test_a_limit_reached_in_the_forecast_shows_its_month(db: Path) -> None:
    table = answer(db, "--all", "--qel", "0.5")
    limited = [row for row in table["well_list"] if row["limit_month"]]
    assert limited and all(row["remaining"] >= 0 for row in limited)


def test_a_list_of_wells_names_the_codes_that_match_nothing_and_the_wells_that_cannot_be_fitted(
        db: Path, tmp_path: Path) -> None:
    listing = tmp_path / "wells.csv"
    listing.write_text("well_code\n5599\n05-123-47610  # both sidetracks\n5769\n999\n", encoding="utf-8")
    table = answer(db, "--wells", str(listing))
    reasons = {row["well_code"]: row["reason"] for row in table["well_list"]}
    assert reasons == {5599: "", 51234761000: reasons[51234761000], 51234761001: "", 5769: reasons[5769],
                       "999": "no such well"}
    assert "producing months in the fit window" in reasons[5769]
    text = run_cli("decline", "--wells", "5599,999", db=db)
    assert text.code == 0
    assert "1 fitted of 2" in text.stdout and "no such well" in text.stdout


def test_the_field_table_has_one_row_per_producing_well_of_the_field(db: Path) -> None:
    table = answer(db, "--field", str(VOLVE_FIELD), "--each")
    field = answer(db, "--field", str(VOLVE_FIELD))
    assert {row["well_code"] for row in table["well_list"]} == (
        {w["well_code"] for w in field["well_list"]} | {w["well_code"] for w in field["unfitted"]})


def test_the_parameter_csv_and_the_monthly_forecasts(db: Path) -> None:
    params = run_cli("decline", "--all", "--csv", db=db)
    rows = list(csv.DictReader(io.StringIO(params.stdout)))
    assert params.code == 0 and len(rows) == answer(db, "--all")["wells"]
    assert {"qi_kbd", "di_secant", "eur_kbbl", "why_not_fitted"} <= set(rows[0])
    monthly = run_cli("decline", "--all", "--monthly", "--qel", "0", db=db)
    months = [r for r in csv.DictReader(io.StringIO(monthly.stdout)) if r["well_code"] == "5599"]
    single = list(csv.DictReader(io.StringIO(run_cli("decline", "5599", "--qel", "0", "--csv", db=db).stdout)))
    assert len(single) > 100
    assert [r["month"] for r in months] == [r["month"] for r in single]
    assert [float(r["cumulative_kbbl"]) for r in months] == pytest.approx(
        [float(r["cumulative_kbbl"]) for r in single], rel=1e-9)


@pytest.mark.parametrize(("args", "said"), [
    (("5599", "--all"), "not both"),
    (("--all", "--field", "1"), "not several"),
    (("5599", "--monthly"), "--monthly goes with a table of wells"),
    (("--each",), "--each goes with --field"),
    (("--wells", "5599,abc"), "'abc' is not a well code"),
])
def test_arguments_that_make_no_table_are_refused(db: Path, args: tuple[str, ...], said: str) -> None:
    result = run_cli("decline", *args, db=db)
    assert result.code == 2 and said in result.stderr


def test_a_saved_set_drives_the_batch_table_to_its_wells(db: Path) -> None:
    assert run_cli("set", "save", "volve", "--where", "field=3420717", db=db).code == 0
    shown = json.loads(run_cli("set", "show", "volve", "--json", db=db).stdout)
    table = answer(db, "--set", "volve")
    codes = {row["well_code"] for row in table["well_list"]}
    assert codes == {w["well_code"] for w in shown["wells"]} and table["selection"] == "set volve"
    assert codes == {row["well_code"] for row in answer(db, "--where", "field=3420717")["well_list"]}
