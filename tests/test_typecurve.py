"""``wellprod typecurve``: the P-curves per month on production equal percentiles computed independently from the
source file, P10 is the high case, and the P50's fit is stated as ``decline`` states a curve."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from tests.conftest import DATA
from tests.helpers.cli import run_cli

VOLVE = DATA / "volve_monthly.csv"
VOLVE_FIELD, VOLVE_INJECTOR = 3420717, 5693


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("typecurve") / "tc.duckdb"
    for name in ("volve_monthly.csv", "ecmc_weld_slice.csv"):
        assert run_cli("import", str(DATA / name), db=path).code == 0
    return path


def answer(db: Path, *args: str) -> Any:
    result = run_cli("typecurve", *args, "--json", db=db)
    assert result.code == 0, result.stderr
    return json.loads(result.stdout)


def independent(align: str) -> pl.DataFrame:
    """Per month on production of the Volve wells: wells, and the 10th, 50th and 90th percentiles of oil rates."""
    producing = pl.read_csv(VOLVE).filter(
        (pl.col("oil_production_kbd") > 0) & (pl.col("days_on_production").fill_null(1) > 0)
    ).sort("well_code", "production_period")
    if align == "peak":
        peak = producing.filter(pl.col("oil_production_kbd") == pl.col("oil_production_kbd").max().over("well_code"))
        first_peak = peak.group_by("well_code").agg(pl.col("production_period").min().alias("peak"))
        producing = producing.join(first_peak, on="well_code").filter(pl.col("production_period") >= pl.col("peak"))
    numbered = producing.with_columns(month=pl.int_range(1, pl.len() + 1).over("well_code"))
    rate = pl.col("oil_production_kbd")
    return numbered.group_by("month").agg(
        wells=pl.len(), p50=rate.quantile(0.5, "linear"), p10=rate.quantile(0.9, "linear"),
        p90=rate.quantile(0.1, "linear"), mean=rate.mean()).sort("month")


@pytest.mark.parametrize("align", ["peak", "first"])
def test_the_p_curves_equal_percentiles_computed_from_the_source_file(db: Path, align: str) -> None:
    curve = answer(db, "--field", str(VOLVE_FIELD), "--align", align)
    expected = independent(align)
    months = curve["months"]
    assert [m["month"] for m in months] == expected["month"].to_list()
    assert [m["wells"] for m in months] == expected["wells"].to_list()
    for name in ("p50", "p10", "p90", "mean"):
        assert [m[name] for m in months] == pytest.approx(expected[name].to_list(), rel=1e-12), name
    assert all(m["p10"] >= m["p50"] >= m["p90"] for m in months)  # P10 is the high case


def test_the_p50_fit_has_decline_conventions_and_an_eur(db: Path) -> None:
    curve = answer(db, "--field", str(VOLVE_FIELD), "--qel", "5")
    fit = curve["fit"]
    assert fit is not None and curve["rate_unit"] == "kbd" and curve["volume_unit"] == "kbbl"
    assert {"qi", "b", "di_nominal", "di_secant", "di_tangent", "dmin_nominal"} <= set(fit)
    assert fit["eur"] == pytest.approx(fit["cum_to_fit_end"] + fit["remaining"])
    used = [m for m in curve["months"] if fit["fit_start"] <= m["month"] <= fit["fit_end"]]
    assert all(m["wells"] >= 3 for m in used) and len(used) == fit["points"]
    assert fit["cum_to_fit_end"] == pytest.approx(sum(m["p50"] for m in curve["months"][:fit["fit_end"]])
                                                  * 365.25 / 12)
    assert fit["t_el_days"] is not None and fit["forecast"][-1]["rate"] < fit["forecast"][0]["rate"]
    text = run_cli("typecurve", "--field", str(VOLVE_FIELD), db=db).stdout
    assert "P10 is the high case" in text and "EUR" in text and "secant" in text


def test_wells_without_production_are_left_out_and_counted(db: Path) -> None:
    curve = answer(db, "--wells", f"5599,5351,7078,{VOLVE_INJECTOR}")
    assert curve["without_production"] == [VOLVE_INJECTOR] and curve["wells"] == 3
    assert curve["months"][0]["wells"] == 3
    text = run_cli("typecurve", "--wells", f"5599,5351,7078,{VOLVE_INJECTOR}", db=db).stdout
    assert "3 wells (1 without oil production left out)" in text


def test_the_csv_carries_the_units_and_a_missing_selection_is_refused(db: Path) -> None:
    rows = list(csv.reader(io.StringIO(run_cli("typecurve", "--all", "--phase", "gas", "--csv", db=db).stdout)))
    assert rows[0] == ["month_on_production", "wells", "p10_mmcfd", "p50_mmcfd", "p90_mmcfd", "mean_mmcfd",
                       "p50_fit_mmcfd"]
    refused = run_cli("typecurve", db=db)
    assert refused.code == 2 and "give the wells" in refused.stderr


@pytest.fixture(scope="module")
def with_headers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("typecurve") / "headers.duckdb"
    for name in ("volve_monthly.csv", "ecmc_weld_slice.csv"):
        assert run_cli("import", str(DATA / name), db=path).code == 0
    assert run_cli("headers", "import", str(DATA / "ecmc_weld_well_headers_slice.csv"), db=path).code == 0
    return path


def test_normalised_by_lateral_length_the_p50_is_the_percentile_of_the_scaled_rates(with_headers: Path) -> None:
    import duckdb

    curve = answer(with_headers, "--all", "--normalize", "lateral_length_ft=10000", "--align", "first")
    assert len(curve["without_attribute"]) == 6 and curve["wells"] == 3  # Volve's wells have no header
    lateral = pl.read_csv(DATA / "ecmc_weld_well_headers_slice.csv").select(
        api10=pl.col("API_Label").str.replace_all("-", "").cast(pl.Int64),  # sidetracks share their API-10's
        lateral=pl.col("lateral_length_ft").cast(pl.Float64))
    with duckdb.connect(str(with_headers), read_only=True) as con:
        rows = con.sql("SELECT well_code, production_period, oil_production_kbd AS rate FROM production "
                       "WHERE oil_production_kbd > 0 AND coalesce(days_on_production, 1) > 0").fetchall()
    stored = pl.DataFrame(rows, schema=["well_code", "production_period", "rate"], orient="row")
    scaled = stored.with_columns(api10=pl.col("well_code") // 100).join(lateral, on="api10").sort(
        "well_code", "production_period").with_columns(
        rate=pl.col("rate") * 10_000 / pl.col("lateral"), month=pl.int_range(1, pl.len() + 1).over("well_code"))
    expected = scaled.group_by("month").agg(p50=pl.col("rate").quantile(0.5, "linear"), wells=pl.len()).sort("month")
    assert [m["wells"] for m in curve["months"]] == expected["wells"].to_list()
    assert [m["p50"] for m in curve["months"]] == pytest.approx(expected["p50"].to_list(), rel=1e-12)
    text = run_cli("typecurve", "--all", "--normalize", "lateral_length_ft=10000", db=with_headers).stdout
    assert "6 without lateral_length_ft left out" in text


def test_a_saved_set_and_a_filter_drive_the_type_curve_to_the_same_wells(with_headers: Path) -> None:
    assert run_cli("set", "save", "noble", "--where", "operator=NOBLE*", db=with_headers).code == 0
    by_set = answer(with_headers, "--set", "noble")
    by_filter = answer(with_headers, "--where", "operator=NOBLE*")
    assert by_set["months"] == by_filter["months"] and by_set["selection"] == "set noble"
    assert set(by_set["well_codes"]) | set(by_set["without_production"]) == {
        51234156100, 51234349200, 51234761000, 51234761001}
    refused = run_cli("typecurve", "--where", "bogus=1", db=with_headers)
    assert refused.code == 2 and "unknown attribute 'bogus'" in refused.stderr


def test_metric_units_convert_the_p_curves_the_fit_and_the_csv(db: Path) -> None:
    from wellprod_tui.core.units import METRIC  # noqa: PLC0415

    rate, volume = METRIC.unit("rate", "oil").factor, METRIC.unit("volume", "oil").factor
    field = answer(db, "--field", str(VOLVE_FIELD), "--qel", "5")
    metric = answer(db, "--field", str(VOLVE_FIELD), "--qel", repr(5 * rate), "--units", "metric")
    assert metric["units"]["system"] == "metric" and (metric["rate_unit"], metric["volume_unit"]) == ("Sm³/d", "Sm³")
    assert metric["qel"] == pytest.approx(field["qel"] * rate, rel=1e-12)
    for name in ("p10", "p50", "p90", "mean"):
        assert [m[name] for m in metric["months"]] == pytest.approx([m[name] * rate for m in field["months"]],
                                                                    rel=1e-12), name
    f, m = field["fit"], metric["fit"]
    assert m["qi"] == pytest.approx(f["qi"] * rate, rel=1e-12) and m["b"] == f["b"]
    assert m["di_nominal"] == pytest.approx(f["di_nominal"], rel=1e-12)
    for name in ("eur", "remaining", "cum_to_fit_end"):
        assert m[name] == pytest.approx(f[name] * volume, rel=1e-9), name
    assert [x["cumulative"] for x in m["forecast"]] == pytest.approx(
        [x["cumulative"] * volume for x in f["forecast"]], rel=1e-9)
    rows = list(csv.DictReader(io.StringIO(run_cli("typecurve", "--field", str(VOLVE_FIELD), "--csv", "--units",
                                                   "metric", db=db).stdout)))
    assert [float(r["p50_sm3_d"]) for r in rows] == pytest.approx([x["p50"] * rate for x in field["months"]],
                                                                  rel=1e-12)
    text = run_cli("typecurve", "--field", str(VOLVE_FIELD), "--units", "field-small", db=db).stdout
    assert "bbl/d (month" in text and "bbl: P50 to month" in text
