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


def test_metric_units_convert_the_table_the_csv_and_the_monthly_forecasts(db: Path) -> None:
    from wellprod_tui.core.units import METRIC  # noqa: PLC0415

    rate, volume = METRIC.unit("rate", "oil").factor, METRIC.unit("volume", "oil").factor
    typed = 0.1 * rate  # a limit of 0.1 kbd typed in Sm³/d
    field, metric = answer(db, "--all", "--qel", "0.1"), answer(db, "--all", "--units", "metric", "--qel", repr(typed))
    assert metric["units"]["system"] == "metric" and (metric["rate_unit"], metric["volume_unit"]) == ("Sm³/d", "Sm³")
    assert metric["qel"] == pytest.approx(field["qel"] * rate, rel=1e-12) == pytest.approx(typed, rel=1e-12)
    for f, m in zip(field["well_list"], metric["well_list"], strict=True):
        assert m["well_code"] == f["well_code"] and m["reason"] == f["reason"]
        if f["reason"]:
            continue
        assert m["qi"] == pytest.approx(f["qi"] * rate, rel=1e-9)
        assert m["di_nominal"] == pytest.approx(f["di_nominal"], rel=1e-9)
        for key in ("cum_to_date", "eur"):
            assert m[key] == pytest.approx(f[key] * volume, rel=1e-9)
    csv_metric = list(csv.DictReader(io.StringIO(run_cli("decline", "--all", "--csv", "--units", "metric",
                                                         db=db).stdout)))
    csv_field = list(csv.DictReader(io.StringIO(run_cli("decline", "--all", "--csv", db=db).stdout)))
    assert {"qi_sm3_d", "eur_sm3", "qel_sm3_d"} <= set(csv_metric[0]) and "qi_kbd" not in csv_metric[0]
    fitted = [(f, m) for f, m in zip(csv_field, csv_metric, strict=True) if f["qi_kbd"]]
    assert fitted and all(float(m["eur_sm3"]) == pytest.approx(float(f["eur_kbbl"]) * volume, rel=1e-9)
                          for f, m in fitted)
    monthly = {unit: list(csv.DictReader(io.StringIO(run_cli("decline", "--all", "--monthly", "--units", unit,
                                                             db=db).stdout))) for unit in ("field", "metric")}
    assert len(monthly["metric"]) == len(monthly["field"]) > 100
    assert [float(r["rate_sm3_d"]) for r in monthly["metric"]] == pytest.approx(
        [float(r["rate_kbd"]) * rate for r in monthly["field"]], rel=1e-9)
    assert [float(r["cumulative_sm3"]) for r in monthly["metric"]] == pytest.approx(
        [float(r["cumulative_kbbl"]) * volume for r in monthly["field"]], rel=1e-9)
    text = run_cli("decline", "--all", "--units", "field-small", db=db)
    assert text.code == 0 and "qi bbl/d, volumes bbl" in text.stdout


def test_a_saved_well_keeps_its_saved_fit_in_the_table_unless_auto(tmp_path: Path) -> None:
    path = tmp_path / "saved.duckdb"
    assert run_cli("import", str(DATA / "volve_monthly.csv"), db=path).code == 0
    saved = run_cli("decline", "5599", "--b", "0.5", "--years", "12", "--qel", "0", "--save", db=path)
    assert saved.code == 0, saved.stderr
    table = answer(path, "--all")
    rows = {row["well_code"]: row for row in table["well_list"]}
    for code in (5599, 5351):
        alone = answer(path, str(code))
        alone["flags"] = [flag["name"] for flag in alone["flags"]]
        row = rows[code]
        row["flags"] = list(row["flags"])
        differ = {k: (row[k], alone[k]) for k in COMPARED if not same(row[k], alone[k])}
        assert not differ, f"well {code}: {differ}"
        assert row["saved_on"] == (alone["saved"]["saved_at"][:10] if code == 5599 else None)
    assert rows[5599]["b"] == 0.5 and rows[5351]["b"] != 0.5
    monthly = list(csv.DictReader(io.StringIO(run_cli("decline", "--all", "--monthly", db=path).stdout)))
    single = list(csv.DictReader(io.StringIO(run_cli("decline", "5599", "--csv", db=path).stdout)))
    assert len(single) > 12
    assert [r["month"] for r in monthly if r["well_code"] == "5599"] == [r["month"] for r in single]
    assert [float(r["cumulative_kbbl"]) for r in monthly if r["well_code"] == "5599"] == pytest.approx(
        [float(r["cumulative_kbbl"]) for r in single], rel=1e-9)
    only_saved = answer(path, "--wells", "5599", "--monthly")
    assert only_saved["fitted"] == 1 and only_saved["well_list"][0]["saved_on"] == rows[5599]["saved_on"]
    assert [r["month"] for r in only_saved["forecast"]] == [r["month"] for r in single]
    auto = {row["well_code"]: row for row in answer(path, "--all", "--auto")["well_list"]}
    assert auto[5599]["saved_on"] is None and auto[5599]["b"] != 0.5
    text = run_cli("decline", "--all", db=path).stdout
    assert "saved on" in text and rows[5599]["saved_on"] in text
