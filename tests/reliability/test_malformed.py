"""Malformed input: every broken file gives a clear error or a reject with its reason; nothing else changes.

Each case is imported by the real CLI (``import --json``) into a copy of a populated database. A failed
import leaves the database exactly as it was; a partly rejected one adds exactly the good rows.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.helpers.cli import Cli, assert_no_traceback

from .support import db_state

NEW_WELL = 90_000_001


def record(**overrides: object) -> dict[str, object]:
    """A valid record of a well the base database does not hold; ``overrides`` change or drop (None) fields."""
    base: dict[str, object] = {
        "field_code": 8908,
        "field_name": "ÆSIR NORTH",
        "well_code": NEW_WELL,
        "well_reference": "WP-TEST-1",
        "well_name": "Test 1H",
        "production_period": "2021-04",
        "days_on_production": 30,
        "oil_production_kbd": 1.5,
        "gas_production_mmcfd": 2.25,
        "liquids_production_kbd": 1.6,
        "water_production_kbd": 0.5,
        "data_source": "test",
        "source_data": "test",
        "partition_0": "2021",
    }
    for key, value in overrides.items():
        if value is None:
            base.pop(key, None)
        else:
            base[key] = value
    return base


def good(n: int) -> list[dict[str, object]]:
    """``n`` valid records of one new well, from 2020-01, 28 days each."""
    return [
        record(production_period=f"{2020 + i // 12}-{i % 12 + 1:02d}", days_on_production=28, well_code=NEW_WELL + 1)
        for i in range(n)
    ]


def ndjson(rows: list[dict[str, object]]) -> bytes:
    """Rows as NDJSON."""
    return b"".join(json.dumps(r, ensure_ascii=False).encode() + b"\n" for r in rows)


def api(rows: list[object]) -> bytes:
    """Rows as the API response ``{"data": [...]}``."""
    return json.dumps({"data": rows}, ensure_ascii=False).encode()


def csv_bytes(rows: list[dict[str, object]], header: list[str] | None = None, newline: str = "\n") -> bytes:
    """Rows as CSV with the given header order."""
    names = header or list(rows[0])
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=names, lineterminator=newline, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


@dataclass
class Case:
    """One malformed input and what the user must see."""

    file_name: str
    content: bytes | Callable[[Path], None] | None
    outcome: str  # "fails", "rejects" or "imports"
    says: str = ""  # in the error (fails), a reject reason (rejects) or a note (imports)
    inserted: int = 0
    rejected: int = 0
    check: Callable[[Cli], None] | None = field(default=None)


def _well_name_is(expected: str) -> Callable[[Cli], None]:
    def check(cli: Cli) -> None:
        shown = json.loads(cli.run("well", str(NEW_WELL), "--json").stdout)
        assert shown["well_name"] == expected

    return check


def _oil_is(expected: float) -> Callable[[Cli], None]:
    def check(cli: Cli) -> None:
        shown = json.loads(cli.run("well", str(NEW_WELL), "--json").stdout)
        assert [h["oil_kbd"] for h in shown["history"]] == [expected]

    return check


def _one_line_of(size: int) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        with path.open("wb") as out:
            out.write(b'{"well_code": 1, "production_period": "2021-01", "well_name": "')
            block = b"x" * (1 << 20)
            for _ in range(size // len(block)):
                out.write(block)
            out.write(b'"}\n')

    return write


def _directory(path: Path) -> None:
    path.mkdir()


_TRUNCATED = api([record(), record(production_period="2021-05")])[:-60]
_LATIN1 = csv_bytes([record(well_name="Ødegaard")]).decode().encode("latin-1")
_FULL = list(record())
_REORDERED = list(reversed(_FULL))

CASES: dict[str, Case] = {
    # -- whole-file problems: nothing imported
    "empty file": Case("empty.ndjson", b"", "fails", "empty"),
    "only whitespace": Case("blank.json", b"  \n\t\r\n  ", "fails", "empty"),
    "truncated JSON mid-record": Case("cut.json", _TRUNCATED, "fails", "truncated"),
    "JSON object without data": Case("nodata.json", json.dumps({"rows": [record()]}).encode(), "fails", '"data"'),
    "data is not a list": Case("datadict.json", json.dumps({"data": record()}).encode(), "fails", "list"),
    "records that are not objects": Case("scalars.json", api([1, "two", [3]]), "fails", "record"),
    "a top-level array of numbers": Case("numbers.json", b"[1, 2, 3]", "fails", "record"),
    "gzip named .json": Case("packed.json", gzip.compress(api([record()])), "fails", "gzip"),
    "binary named .json": Case("blob.json", bytes(range(256)) * 64, "fails", "binary"),
    "a directory as PATH": Case("folder.json", _directory, "fails", "no .parquet file"),
    "nonexistent PATH": Case("missing.ndjson", None, "fails", "no such file"),
    "CSV without the well_code column": Case(
        "nokey.csv", csv_bytes([record()], header=[c for c in _FULL if c != "well_code"]), "fails", "well_code"
    ),
    "CSV with a header only": Case("header.csv", ",".join(_FULL).encode() + b"\n", "fails", "no records"),
    "API response with an empty list": Case("nothing.json", api([]), "fails", "no records"),
    "NDJSON line that is not JSON": Case("broken.ndjson", ndjson([record()]) + b"{not json\n", "fails", "line 2"),
    "one 100 MB line": Case("huge.ndjson", _one_line_of(100 << 20), "fails", "huge.ndjson"),
    # -- row problems: the rest is imported, each bad row is rejected with its reason
    "missing key field": Case(
        "nokey.ndjson", ndjson([record(production_period=None), *good(2)]), "rejects", "missing", 2, 1
    ),
    "number as text 'abc'": Case(
        "abc.ndjson", ndjson([record(oil_production_kbd="abc"), *good(1)]), "rejects", "not a finite number", 1, 1
    ),
    "NaN as text": Case("nan.ndjson", ndjson([record(oil_production_kbd="NaN"), *good(1)]), "rejects", "finite", 1, 1),
    "Infinity as text": Case(
        "inf.ndjson", ndjson([record(gas_production_mmcfd="-Infinity"), *good(1)]), "rejects", "finite", 1, 1
    ),
    "month 13": Case("m13.ndjson", ndjson([record(production_period="2021-13"), *good(1)]), "rejects", "month", 1, 1),
    "month 00": Case("m00.ndjson", ndjson([record(production_period="2021-00"), *good(1)]), "rejects", "month", 1, 1),
    "two-digit year": Case(
        "yy.ndjson", ndjson([record(production_period="21-01"), *good(1)]), "rejects", "month", 1, 1
    ),
    "slashes in the month": Case(
        "slash.ndjson", ndjson([record(production_period="2021/01"), *good(1)]), "rejects", "month", 1, 1
    ),
    "32 days": Case("d32.ndjson", ndjson([record(days_on_production=32), *good(1)]), "rejects", "outside 0..30", 1, 1),
    "negative days": Case("dneg.ndjson", ndjson([record(days_on_production=-1), *good(1)]), "rejects", "outside", 1, 1),
    "31 days in April": Case(
        "d31.ndjson",
        ndjson([record(days_on_production=31), *good(1)]),
        "rejects",
        "outside 0..30 (days in 2021-04)",
        1,
        1,
    ),
    "15-digit well code": Case(
        "long.ndjson", ndjson([record(well_code=123456789012345), *good(1)]), "rejects", "integer code", 1, 1
    ),
    "negative well code": Case("neg.ndjson", ndjson([record(well_code=-5), *good(1)]), "rejects", "integer code", 1, 1),
    "fractional well code": Case(
        "frac.ndjson", ndjson([record(well_code=12.5), *good(1)]), "rejects", "integer code", 1, 1
    ),
    "fractional field code": Case(
        "ffrac.ndjson", ndjson([record(field_code="8908.7"), *good(1)]), "rejects", "integer code", 1, 1
    ),
    "duplicate keys in one file": Case(
        "dup.ndjson",
        ndjson([record(), record(oil_production_kbd=9.0), *good(1)]),
        "rejects",
        "duplicate of record 1",
        2,
        1,
    ),
    "CSV row with too many cells": Case(
        "wide.csv",
        csv_bytes([record()]) + b"1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17\n",
        "rejects",
        "too many columns",
        1,
        1,
    ),
    # -- oddities that are fine: imported, and said where it matters
    "number as text '12.5'": Case(
        "text.ndjson", ndjson([record(oil_production_kbd="12.5")]), "imports", inserted=1, check=_oil_is(12.5)
    ),
    "extra fields": Case(
        "extra.ndjson",
        ndjson([record(pressure_psi=3000, choke="32/64"), record(production_period="2021-05", pressure_psi=1)]),
        "imports",
        "ignored",
        inserted=2,
    ),
    "CSV extra column": Case(
        "extra.csv", csv_bytes([{**record(), "pressure_psi": 3}]), "imports", "ignored columns", inserted=1
    ),
    "CSV missing a value column": Case(
        "nogas.csv",
        csv_bytes([record()], header=[c for c in _FULL if c != "gas_production_mmcfd"]),
        "imports",
        "gas_production_mmcfd",
        inserted=1,
    ),
    "CSV with a reordered header": Case(
        "reordered.csv", csv_bytes([record()], header=_REORDERED), "imports", inserted=1, check=_oil_is(1.5)
    ),
    "CSV with quoted separators and newlines": Case(
        "quoted.csv",
        csv_bytes([record(well_name='A, "B"\nC; D')]),
        "imports",
        inserted=1,
        check=_well_name_is('A, "B"\nC; D'),
    ),
    "CSV with a BOM": Case("bom.csv", b"\xef\xbb\xbf" + csv_bytes([record()]), "imports", inserted=1),
    "CSV with CRLF": Case(
        "crlf.csv",
        csv_bytes([record(well_name="CRLF 1H")], newline="\r\n"),
        "imports",
        inserted=1,
        check=_well_name_is("CRLF 1H"),
    ),
    "CSV in Latin-1": Case("latin1.csv", _LATIN1, "rejects", "not UTF-8 text", 0, 1),
    "months as YYYYMM and YYYY-MM-01": Case(
        "months.ndjson",
        ndjson([record(production_period="202104"), record(production_period="2021-05-01")]),
        "imports",
        inserted=2,
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_malformed_input_is_refused_clearly_and_changes_nothing_else(populated: Cli, tmp_path: Path, name: str) -> None:
    case = CASES[name]
    path = tmp_path / case.file_name
    if isinstance(case.content, bytes):
        path.write_bytes(case.content)
    elif case.content is not None:
        case.content(path)
    before = db_state(populated.db)

    result = populated.run("import", "--json", str(path))

    assert_no_traceback(result)
    assert "unexpected error" not in result.stderr
    if case.outcome == "fails":
        assert result.code == 1, result.output
        assert case.says in result.stderr, result.stderr
        assert str(path.name) in result.stderr
        assert db_state(populated.db) == before
        return
    summary = json.loads(result.stdout)
    nothing_imported = summary["inserted"] + summary["updated"] + summary["unchanged"] == 0
    assert result.code == (1 if nothing_imported else 0), result.output  # exit 1: nothing imported
    assert summary["status"] == "completed"
    assert (summary["inserted"], summary["rejected"]) == (case.inserted, case.rejected), summary
    after = db_state(populated.db)
    assert after["records"] == before["records"] + case.inserted
    if case.outcome == "rejects":
        reasons = " | ".join(r["reason"] for r in summary["first_rejects"])
        assert case.says in reasons, summary["first_rejects"]
        assert Path(summary["rejects_file"]).exists()
    elif case.says:
        notes = [n for n in summary["notes"] if case.says in n]
        assert len(notes) == 1, summary["notes"]
    if case.check:
        case.check(populated)


def test_enough_malformed_cases() -> None:
    assert len(CASES) >= 30
