"""API numbers as engineers type them (with or without dashes; 10, 12 or 14 digits) find the wellbore in
``wellprod well`` and ``wellprod search``; an API-10 with several sidetracks lists them. Colorado ECMC records
(tests/data/ecmc_weld_slice.csv), whose codes are API-12 numbers stored as integers."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import DATA, run_import
from wellprod_tui import cli, queries, storage
from wellprod_tui.core.api_numbers import api_label, code_ranges


def test_typed_codes_name_their_stored_codes() -> None:
    assert code_ranges("05-123-31642-01") == [(51233164201, 51233164201), (5123316420100, 5123316420199)]
    assert code_ranges("0512331642")[1] == (51233164200, 51233164299)
    assert code_ranges("05 123 31642 01 00")[1] == (51233164201, 51233164201)
    assert code_ranges("59806") == [(59806, 59806)]
    assert code_ranges("ÆSIR") == code_ranges("12a") == []
    assert api_label(51233164201) == "05-123-31642-01"


@pytest.fixture
def ecmc(con: storage.Connection, rejects_dir: Path) -> storage.Connection:
    run_import(con, DATA / "ecmc_weld_slice.csv", rejects_dir, duplicates="sum")
    return con


@pytest.mark.parametrize("typed", ["05-123-41561-00", "051234156100", "05-123-41561", "0512341561", "05123415610000"])
def test_a_wellbore_is_found_however_its_api_number_is_typed(ecmc: storage.Connection, typed: str) -> None:
    assert queries.resolve_well(ecmc, typed) == 51234156100
    assert queries.search_wells(ecmc, typed)[0]["well_code"] == 51234156100


def test_an_api10_with_two_sidetracks_lists_both(ecmc: storage.Connection) -> None:
    with pytest.raises(queries.AmbiguousCode, match=r"05-123-47610 names 2 wellbores: 05-123-47610-00 .*-01"):
        queries.resolve_well(ecmc, "05-123-47610")
    assert [w["well_code"] for w in queries.search_wells(ecmc, "05-123-47610")] == [51234761000, 51234761001]
    assert queries.resolve_well(ecmc, "05-123-47610-01") == 51234761001


def test_the_command_line_takes_api_numbers(
    ecmc: storage.Connection, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ecmc.close()
    assert cli.main(["--db", str(db_path), "well", "05-123-41561-00"]) == 0
    assert "51234156100" in capsys.readouterr().out
    assert cli.main(["--db", str(db_path), "well", "05-123-47610"]) == 1
    assert "names 2 wellbores" in capsys.readouterr().err
    assert cli.main(["--db", str(db_path), "search", "0512341561"]) == 0
    assert "05-123-41561-00" in capsys.readouterr().out
    assert cli.main(["--db", str(db_path), "well", "abc"]) == 2
