"""Injection is not production: a wellbore-month that only injects is not a producing month, its well is no
producing well in a field's counts, and a field's decline leaves injectors out (Equinor's Volve data:
2008-08 has two producers and two injectors)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import DATA, run_import
from wellprod_tui import queries, storage
from wellprod_tui.decline.analysis import Options
from wellprod_tui.decline.field import field_decline

VOLVE = 3420717
INJECTOR = 5693  # 15/9-F-4: water injection only


def _producing_wells(con: storage.Connection, month: str) -> int:
    columns, rows = queries.read_all(con, queries.field_monthly_view(VOLVE))
    return next(dict(zip(columns, r, strict=True)) for r in rows if str(r[0]).startswith(month))["producing_wells"]


def test_injectors_on_stream_are_not_producing_wells(con: storage.Connection, rejects_dir: Path) -> None:
    run_import(con, DATA / "volve_monthly.csv", rejects_dir)
    assert _producing_wells(con, "2008-08") == 2


def test_a_fields_decline_leaves_its_injectors_out(con: storage.Connection, rejects_dir: Path) -> None:
    run_import(con, DATA / "volve_monthly.csv", rejects_dir)
    result = field_decline(con, VOLVE, Options())
    listed = {w.well_code for w in result.wells} | {w.well_code for w in result.unfitted}
    assert INJECTOR not in listed and len(listed) == 6


def test_volves_own_report_sets_its_injection_rows_aside_and_says_how_many(
    con: storage.Connection, rejects_dir: Path
) -> None:
    summary = run_import(con, DATA / "volve_monthly_production.csv", rejects_dir)
    assert any("194 injection row(s) set aside (injector: injection without production)" in n for n in summary.notes)
    assert summary.records == 332
    oil = con.execute("SELECT sum(oil_production_kbd) FROM production WHERE well_code = ?", [INJECTOR]).fetchone()
    assert not oil[0]
    assert _producing_wells(con, "2008-08") == 2
