"""Properties of the import, checked on generated records and broken files (hypothesis, bounded).

1. Whatever the rows hold, an import raises nothing but the documented errors, and what it commits is
   exactly the valid rows of the input (the first of each key), with their values unchanged.
2. Whatever bytes a file holds, an import either commits a consistent database or fails with a
   documented error and leaves the database as it was.
"""

from __future__ import annotations

import calendar
import csv
import io
import json
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.conftest import run_import
from wellprod_tui import storage
from wellprod_tui.core.config import Config
from wellprod_tui.core.domain import RECORD_COLUMNS
from wellprod_tui.importing import ImportCancelled, ImportFailed
from wellprod_tui.queries import doctor

from .support import db_state

DOCUMENTED = (ImportFailed, ImportCancelled, storage.StoreError)
PROPERTY_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)

# ---- generated records, each with the oracle's verdict ------------------------------------------

BAD_CODES = ["abc", "-5", "12.5", "1e3", "123456789012345", " ", "0x1F"]
BAD_MONTHS = ["2021-13", "2021-00", "21-01", "2021/01", "abc", "2021-1", "1899-12", "2101-01"]
BAD_NUMBERS = ["abc", "NaN", "Infinity", "-inf", "1,5", "--1"]
names = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12)


@st.composite
def row(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """A record as a file would hold it, and the typed row it must become (None: it must be rejected)."""
    ok = True
    out: dict[str, Any] = {}
    if draw(st.booleans()) or draw(st.booleans()):
        code = draw(st.integers(1, 40))
        out["well_code"] = draw(st.sampled_from([code, str(code), f"{code}.0", f" {code} "]))
    else:
        out["well_code"], code, ok = draw(st.sampled_from([*BAD_CODES, None])), None, False
    if draw(st.integers(0, 5)):
        year, month = draw(st.integers(2000, 2003)), draw(st.integers(1, 12))
        period = date(year, month, 1)
        out["production_period"] = draw(
            st.sampled_from([f"{year}-{month:02d}", f"{year}{month:02d}", f"{year}-{month:02d}-01"])
        )
    else:
        out["production_period"], period, ok = draw(st.sampled_from([*BAD_MONTHS, None])), None, False
    days = draw(st.one_of(st.none(), st.integers(-2, 32)))
    out["days_on_production"] = days
    if days is not None and period is not None and not 0 <= days <= calendar.monthrange(period.year, period.month)[1]:
        ok = False
    if days is not None and period is None:
        ok = False
    rates: dict[str, float | None] = {}
    for column in ("oil_production_kbd", "gas_production_mmcfd", "water_production_kbd"):
        if draw(st.integers(0, 9)):
            value = draw(st.one_of(st.none(), st.floats(-1e6, 1e6, allow_nan=False, width=64)))
            out[column] = value
            rates[column] = value
            if value is not None and abs(value) > (100_000 if column.startswith("gas") else 10_000):
                ok = False  # beyond [import] max_rate_kbd / max_gas_mmcfd
        else:
            out[column], ok = draw(st.sampled_from(BAD_NUMBERS)), False
    out["well_name"] = draw(names)
    typed = {"well_code": code, "production_period": period, "days_on_production": days, **rates}
    typed["well_name"] = out["well_name"]
    return out, (typed if ok else None)


def write_rows(rows: list[dict[str, Any]], path: Path, fmt: str) -> Path:
    """Rows as NDJSON, the API response, or CSV (None as an empty cell)."""
    if fmt == "ndjson":
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    elif fmt == "json":
        path.write_text(json.dumps({"data": rows}), encoding="utf-8")
    else:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(RECORD_COLUMNS), lineterminator="\n", restval="")
        writer.writeheader()
        writer.writerows({k: ("" if v is None else v) for k, v in r.items()} for r in rows)
        path.write_text(out.getvalue(), encoding="utf-8")
    return path


def committed(db: Path) -> set[tuple]:
    """The key and the checked values of every stored record."""
    con = storage.connect(db, read_only=True)
    try:
        return set(
            con.execute(
                """SELECT well_code, production_period, days_on_production, oil_production_kbd,
                          gas_production_mmcfd, water_production_kbd, well_name FROM production"""
            ).fetchall()
        )
    finally:
        con.close()


def unquoted(name: str) -> str:
    """A CSV cell as wellprod reads it: the quote its own exports put before a formula start taken away."""
    return name[1:] if name.startswith("'") and name.lstrip("'")[:1] in ("=", "+", "-", "@") else name


@pytest.mark.parametrize("fmt", ["ndjson", "json", "csv"])
@PROPERTY_SETTINGS
@given(rows=st.lists(row(), min_size=1, max_size=25))
def test_committed_records_are_exactly_the_valid_rows(fmt: str, rows: list[tuple[dict, dict | None]]) -> None:
    expected: dict[tuple, tuple] = {}
    for _, typed in rows:
        if typed is None:
            continue
        key = (typed["well_code"], typed["production_period"])
        if key not in expected:
            expected[key] = (
                *key,
                None if typed["days_on_production"] is None else float(typed["days_on_production"]),
                typed["oil_production_kbd"],
                typed["gas_production_mmcfd"],
                typed["water_production_kbd"],
                unquoted(typed["well_name"]) if fmt == "csv" else typed["well_name"],
            )
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        source = write_rows([r for r, _ in rows], work / f"input.{fmt}", fmt)
        db = work / "db.duckdb"
        con = storage.connect(db)
        try:
            summary = run_import(con, source, work / "rejects")
        except DOCUMENTED as exc:
            assert not expected, f"valid rows but the import failed: {exc}"
            return
        finally:
            con.close()
        assert summary.inserted == len(expected)
        assert summary.rejected == len(rows) - len(expected)
        assert committed(db) == set(expected.values())


# ---- broken files ------------------------------------------------------------------------------

SEED_ROWS = [
    {
        "field_code": 8908,
        "field_name": "ÆSIR, NORTH",
        "well_code": 100 + i,
        "well_reference": f"WP-{i}",
        "well_name": f'Well "{i}"H',
        "production_period": f"2021-{i % 12 + 1:02d}",
        "days_on_production": 28,
        "oil_production_kbd": 1.25 * i,
        "gas_production_mmcfd": 0.5,
        "liquids_production_kbd": 1.3 * i,
        "water_production_kbd": 0.1,
        "data_source": "test",
        "source_data": "test",
        "partition_0": "2021",
    }
    for i in range(30)
]


@st.composite
def broken_file(draw: st.DrawFn) -> tuple[str, bytes]:
    """A valid file in one format, then cut, overwritten or spliced with random bytes."""
    fmt = draw(st.sampled_from(["ndjson", "json", "csv"]))
    with tempfile.TemporaryDirectory() as folder:
        data = write_rows(SEED_ROWS, Path(folder) / f"x.{fmt}", fmt).read_bytes()
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["cut", "overwrite", "insert", "delete"]))
        junk = draw(
            st.one_of(st.binary(min_size=1, max_size=8), st.sampled_from([b'"', b"{", b"]", b",", b"\n", b"\x00"]))
        )
        if kind == "cut":
            data = data[:at]
        elif kind == "overwrite":
            data = data[:at] + junk + data[at + len(junk) :]
        elif kind == "insert":
            data = data[:at] + junk + data[at:]
        else:
            data = data[:at] + data[at + draw(st.integers(1, 40)) :]
    return fmt, data


@PROPERTY_SETTINGS
@given(case=broken_file())
def test_a_broken_file_commits_a_consistent_database_or_nothing(base_db: Path, case: tuple[str, bytes]) -> None:
    fmt, data = case
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        db = work / "db.duckdb"
        db.write_bytes(base_db.read_bytes())
        before = db_state(db)
        source = work / f"broken.{fmt}"
        source.write_bytes(data)
        con = storage.connect(db)
        try:
            summary = run_import(con, source, work / "rejects")
        except DOCUMENTED as exc:
            summary = None
            event(f"refused: {type(exc).__name__}")
            assert str(source.name) in str(exc) or isinstance(exc, storage.StoreError), exc
        finally:
            con.close()
        report = doctor.check(Config(database_override=str(db)))
        assert report["status"] == "healthy", report
        after = db_state(db)
        if summary is None:
            assert after == before
        else:
            event(f"{fmt} committed, {'with' if summary.rejected else 'without'} rejects")
            assert after["records"] == before["records"] + summary.inserted
