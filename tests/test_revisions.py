"""Nothing an import replaces is lost: the revision trail keeps every superseded row, ``wellprod changes`` lists
what an import changed (old → new, with the difference), and older data brought back is said (refused with
--strict)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.conftest import DATA, run_import, table_checksum
from wellprod_tui import cli, importing, storage

VOLVE = DATA / "volve_monthly.csv"


def _revised(tmp_path: Path, name: str, oil_added_kbd: float, rows: int) -> tuple[Path, list[tuple[int, str, float]]]:
    """Volve's monthly file with ``oil_added_kbd`` added to the oil rate of its first ``rows`` records."""
    with VOLVE.open(newline="") as source:
        records = list(csv.reader(source))
    header, body = records[0], records[1:]
    oil, well, month = (header.index(c) for c in ("oil_production_kbd", "well_code", "production_period"))
    revised = []
    for record in body[:rows]:
        old = float(record[oil])
        record[oil] = repr(old + oil_added_kbd)
        revised.append((int(record[well]), record[month][:7], old))
    path = tmp_path / name
    with path.open("w", newline="") as out:
        csv.writer(out).writerows([header, *body])
    return path, revised


def _changes(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> dict:  # type: ignore[type-arg]
    assert cli.main(["--db", str(db), "changes", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_a_revision_import_lists_its_changes_exactly(
    con: storage.Connection, db_path: Path, rejects_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_import(con, VOLVE, rejects_dir)
    revision, revised = _revised(tmp_path, "revision.csv", 0.25, rows=7)
    summary = run_import(con, revision, rejects_dir)
    assert summary.updated == 7
    con.close()
    listed = _changes(capsys, db_path, "--import", "2")
    assert listed["import"]["file"].endswith("revision.csv")
    got = [(c["well_code"], c["production_period"], c["column_name"], float(c["old"]), c["difference"])
           for c in listed["changes"]]
    assert got == [(w, m, "oil_production_kbd", old, 0.25) for w, m, old in sorted(revised)]
    assert all(float(c["new"]) == float(c["old"]) + 0.25 for c in listed["changes"])


def test_older_data_brought_back_is_said_and_refused_with_strict(
    con: storage.Connection, db_path: Path, rejects_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_import(con, VOLVE, rejects_dir)
    revision, _ = _revised(tmp_path, "revision.csv", 1.0, rows=4)
    run_import(con, revision, rejects_dir)
    before = table_checksum(con)
    with pytest.raises(importing.ImportFailed, match="4 month.*return to values replaced by import 2.*--strict"):
        run_import(con, VOLVE, rejects_dir, strict=True)
    assert table_checksum(con) == before
    back = run_import(con, VOLVE, rejects_dir)
    assert back.updated == 4
    assert any("4 month(s) return to values replaced by import 2 (older data?)" in n for n in back.notes)
    con.close()
    well = _changes(capsys, db_path, "--well", str(_revised(tmp_path, "again.csv", 0, 1)[1][0][0]))
    imports = [c["import_id"] for c in well["changes"]]
    assert imports == sorted(imports) and set(imports) == {2, 4}


def test_doctor_reports_the_size_of_the_trail(
    con: storage.Connection, db_path: Path, rejects_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_import(con, VOLVE, rejects_dir)
    run_import(con, _revised(tmp_path, "revision.csv", 0.5, rows=3)[0], rejects_dir)
    con.close()
    assert cli.main(["--db", str(db_path), "doctor", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["revisions"] == 3
