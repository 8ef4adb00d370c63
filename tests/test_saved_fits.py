"""Forecasts that are kept: ``wellprod decline WELL --save`` keeps the fit's options with who and when; later
answers start from it and say so, ``--auto`` fits afresh, and the forecast CSV carries the parameters."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pytest

from tests.conftest import DATA
from tests.helpers.cli import Cli
from wellprod_tui import cli

VOLVE_WELL = "5599"


@pytest.fixture
def volve(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    db = tmp_path / "kept.duckdb"
    assert cli.main(["import", "--db", str(db), str(DATA / "volve_monthly.csv")]) == 0
    capsys.readouterr()
    return db


def decline(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str]:
    code = cli.main(["decline", VOLVE_WELL, "--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out + err


def as_json(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> dict[str, Any]:
    code, out = decline(capsys, db, *args, "--json")
    assert code == 0, out
    data: dict[str, Any] = json.loads(out)
    return data


def test_a_saved_fit_is_what_later_answers_use_until_auto_asks_for_a_fresh_one(
    capsys: pytest.CaptureFixture[str], volve: Path, tmp_path: Path
) -> None:
    fresh = as_json(capsys, volve)
    assert fresh["saved"] is None and fresh["b"] != pytest.approx(0.3)
    kept = as_json(capsys, volve, "--model", "hyperbolic", "--b", "0.3", "--from", "2009-06", "--qel", "0.2",
                   "--save")
    today = datetime.now(UTC).strftime("%Y-%m-%d")
    assert kept["saved"]["saved_at"].startswith(today) and kept["saved"]["saved_by"]

    # another process, after this one closed the file: the saved fit is the one in force
    text = Cli(tmp_path).run("decline", VOLVE_WELL, db=volve).output
    assert f"saved        {today} by {kept['saved']['saved_by']}" in text
    later = as_json(capsys, volve)
    assert (later["b"], later["fit_start"], later["qel"]) == (0.3, "2009-06", 0.2)
    assert later["eur"] == pytest.approx(kept["eur"])

    auto = as_json(capsys, volve, "--auto")
    assert auto["saved"] is None and auto["fit_start"] == fresh["fit_start"]
    assert auto["eur"] == pytest.approx(fresh["eur"])
    given = as_json(capsys, volve, "--years", "10")  # options given: a fit of those, not the saved one
    assert given["saved"] is None and given["b"] != pytest.approx(0.3)
    gas = as_json(capsys, volve, "--phase", "gas")  # a fit is kept per phase
    assert gas["saved"] is None


def test_the_forecast_csv_starts_with_the_fit_s_parameters_read_as_they_are(
    capsys: pytest.CaptureFixture[str], volve: Path
) -> None:
    data = as_json(capsys, volve, "--b", "0.4", "--to", "2016-06", "--save")  # 2016-09 is past any limit
    code, text = decline(capsys, volve, "--csv")
    assert code == 0
    frame = pl.read_csv(io.StringIO(text))  # no rows to skip, no comment marker to know
    assert frame.columns[:3] == ["well_code", "phase", "basis"]
    assert frame.columns[-4:] == ["month", "rate_kbd", "volume_kbbl", "cumulative_kbbl"]
    first = frame.row(0, named=True)
    assert first["well_code"] == int(VOLVE_WELL) and first["b"] == 0.4
    assert first["qi_kbd"] == pytest.approx(data["qi"]) and first["eur_kbbl"] == pytest.approx(data["eur"])
    assert first["saved_on"] == data["saved"]["saved_at"][:10]
    assert frame.height == len(data["forecast"]) and frame["qi_kbd"].n_unique() == 1
    assert frame["flags"].n_unique() == 1

    passed = as_json(capsys, volve, "--auto")  # the limit passed in the last month: nothing to forecast
    code, text = decline(capsys, volve, "--auto", "--csv")
    [row] = pl.read_csv(io.StringIO(text)).rows(named=True)  # the parameters and flags still said, on one row
    assert passed["forecast"] == [] and row["month"] is None and row["eur_kbbl"] == pytest.approx(passed["eur"])
    assert "past-limit" in row["flags"].split(";") and row["saved_on"] is None


def test_a_fit_saved_with_exclusions_locks_and_a_limit_is_restored_with_every_one(
    capsys: pytest.CaptureFixture[str], volve: Path
) -> None:
    chosen = ("--exclude", "2010-03,2011-01..2011-02", "--include", "2009-02", "--qi-fixed", "40", "--di-fixed",
              "0.5", "--di-type", "nominal", "--model", "hyperbolic", "--qel", "0.2", "--to", "2016-06")
    kept = as_json(capsys, volve, *chosen, "--save")
    assert kept["locks"] == {"qi": 40, "di": 0.5, "di_type": "nominal", "b": None}
    later = as_json(capsys, volve)  # no option given: the saved fit, all of it
    assert later["saved"] == kept["saved"]
    for key in ("exclude", "include", "locks", "left_out", "qel", "fit_start", "fit_end", "qi", "b", "eur",
                "flags", "defaults"):
        assert later[key] == kept[key], key
    assert later["exclude"] == ["2010-03", "2011-01", "2011-02"] and later["defaults"] == ["years"]
    afresh = as_json(capsys, volve, "--auto")
    assert afresh["locks"]["qi"] is None and afresh["exclude"] == [] and afresh["defaults"][:2] == ["qel", "years"]


def test_an_older_database_without_saved_fits_is_read_then_gains_the_table(
    capsys: pytest.CaptureFixture[str], volve: Path
) -> None:
    with duckdb.connect(str(volve)) as con:  # as a wellprod before saved fits left it
        con.execute("DROP TABLE saved_fits")
    assert as_json(capsys, volve)["saved"] is None  # read-only: nothing saved, nothing written
    with duckdb.connect(str(volve), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'saved_fits'").fetchone() == (0,)
    kept = as_json(capsys, volve, "--b", "0.6", "--save")
    assert kept["saved"] is not None
    with duckdb.connect(str(volve), read_only=True) as con:
        assert con.execute("SELECT count(*), any_value(phase) FROM saved_fits").fetchone() == (1, "oil")


def test_a_fit_saved_with_options_this_version_does_not_know_still_opens(
    capsys: pytest.CaptureFixture[str], volve: Path
) -> None:
    as_json(capsys, volve, "--b", "0.7", "--save")
    with duckdb.connect(str(volve)) as con:  # a newer wellprod saved an option of its own beside b
        con.execute("UPDATE saved_fits SET options = json_merge_patch(options, '{\"someday\": [1, 2]}')")
    assert as_json(capsys, volve)["b"] == 0.7


def test_save_and_auto_go_with_a_well(capsys: pytest.CaptureFixture[str], volve: Path) -> None:
    code = cli.main(["decline", "--db", str(volve), "--field", "3420717", "--save"])
    assert code == 2 and "--save goes with a WELL" in capsys.readouterr().err


def test_a_field_s_decline_fits_a_well_with_its_saved_fit_and_auto_fits_it_afresh(
    capsys: pytest.CaptureFixture[str], volve: Path
) -> None:
    field = ["--field", "3420717"]
    before_well = as_json(capsys, volve)
    code = cli.main(["decline", "--db", str(volve), *field, "--json"])
    before = json.loads(capsys.readouterr().out)
    assert code == 0 and before["wells_saved"] == 0
    kept = as_json(capsys, volve, "--b", "0.3", "--save")

    code = cli.main(["decline", "--db", str(volve), *field, "--json"])
    after = json.loads(capsys.readouterr().out)
    [well] = [w for w in after["well_list"] if w["well_code"] == int(VOLVE_WELL)]
    assert after["wells_saved"] == 1 and well["b"] == 0.3 and well["saved_on"] == kept["saved"]["saved_at"][:10]
    # the well ends with the field, so the field's EUR moves by exactly what the well's did
    assert after["eur"] - before["eur"] == pytest.approx(kept["eur"] - before_well["eur"], rel=1e-9)
    assert after["forecast_start"] == before["forecast_start"]
    others = {w["well_code"]: w["eur"] for w in after["well_list"] if w["well_code"] != int(VOLVE_WELL)}
    assert others == {w["well_code"]: pytest.approx(w["eur"]) for w in before["well_list"]
                      if w["well_code"] != int(VOLVE_WELL)}

    code = cli.main(["decline", "--db", str(volve), *field])
    assert code == 0 and f"saved fits   1 well fitted as saved: {VOLVE_WELL}" in (
        capsys.readouterr().out)
    code = cli.main(["decline", "--db", str(volve), *field, "--auto", "--json"])
    auto = json.loads(capsys.readouterr().out)
    assert auto["wells_saved"] == 0 and auto["eur"] == pytest.approx(before["eur"])
