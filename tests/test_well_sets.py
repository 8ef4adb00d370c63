"""Sets of wells: the filter language (typed, with errors naming the attribute or value), saved sets, and
the one selection every command uses. Colorado ECMC records (tests/data/ecmc_weld_slice.csv)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.conftest import DATA, run_import
from wellprod_tui import storage
from wellprod_tui.core.well_filter import AllOf, Condition, FilterError, Negated, parse_filter
from wellprod_tui.queries import NotFound
from wellprod_tui.queries.well_sets import save_set, saved_sets, select_wells


def test_a_filter_reads_as_a_typed_tree() -> None:
    tree = parse_filter("operator=NOBLE* and not formation in (CODELL, 'FORT HAYS') and first_production>=2015-01")
    assert tree == AllOf((
        Condition("operator", "text", "=", ("NOBLE*",)),
        Negated(Condition("formation", "text", "in", ("CODELL", "FORT HAYS"))),
        Condition("first_production", "month", ">=", (date(2015, 1, 1),)),
    ))
    assert parse_filter("lateral_length_ft>7_000") == Condition("lateral_length_ft", "number", ">", (7000.0,))


@pytest.mark.parametrize(("text", "message"), [
    ("opertor=NOBLE", "unknown attribute 'opertor' (known: "),
    ("lateral_length_ft>long", "lateral_length_ft: 'long' is not a number"),
    ("first_production>=2015-13", "first_production: '2015-13' is not a month"),
    ("operator<B", "operator is text: compare it with = or !="),
    ("operator in (A,B", "ends too soon"),
    ("operator=A) or", "unexpected ')'"),
    ("well=abc", "well: 'abc' is not a well code or API number"),
    ("", "the filter is empty"),
])
def test_a_filter_that_cannot_be_read_says_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(FilterError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_filter(text)


@pytest.fixture
def ecmc(con: storage.Connection, rejects_dir: Path) -> storage.Connection:
    run_import(con, DATA / "ecmc_weld_slice.csv", rejects_dir, duplicates="sum")
    return con


def _codes(con: storage.Connection, **kwargs: str) -> list[int]:
    selection = select_wells(con, **kwargs)
    codes = [r[0] for r in con.execute(selection.subquery).fetchall()]
    assert selection.wells == len(codes)
    return codes


def test_a_filter_picks_wells_by_api_number_county_and_their_own_figures(ecmc: storage.Connection) -> None:
    assert _codes(ecmc, where="well=05-123-47610") == [51234761000, 51234761001]
    assert _codes(ecmc, where="not well in (0512341561, 05-123-43492)") == [51234761000, 51234761001]
    assert len(_codes(ecmc, where="county=123 and state=05")) == 4
    assert _codes(ecmc, where="county=001") == []
    assert _codes(ecmc) == [51234156100, 51234349200, 51234761000, 51234761001]


def test_a_saved_set_is_its_filter_or_its_list(ecmc: storage.Connection, tmp_path: Path) -> None:
    assert save_set(ecmc, "pad", where="well=0512347610") == 2
    assert save_set(ecmc, "two", wells=["05-123-41561-00", "051234349200"]) == 2
    assert _codes(ecmc, set_name="pad") == [51234761000, 51234761001]
    assert _codes(ecmc, set_name="pad", where="well=05-123-47610-01") == [51234761001]
    assert [(s["name"], s["filter"], s["wells"]) for s in saved_sets(ecmc)] == [
        ("pad", "well=0512347610", 2), ("two", None, 2)]
    with pytest.raises(NotFound, match=r"no set called 'nope' \(saved: pad, two"):
        select_wells(ecmc, set_name="nope")
    with pytest.raises(NotFound, match="1 line\\(s\\) name no well: '05-999-00000'"):
        save_set(ecmc, "bad", wells=["05-999-00000"])
