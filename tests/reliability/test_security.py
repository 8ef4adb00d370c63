"""Hostile values: SQL in names and paths, formulas in CSV cells, exports that would clobber a file."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.helpers.cli import Cli, assert_no_traceback

from .support import db_state

INJECTION = "x'); DROP TABLE production; --"
FIELD_INJECTION = 'F"; DELETE FROM production WHERE "1"="1'
FORMULAS = ['=HYPERLINK("http://evil","x")', "+1+2", "-3+4", "@SUM(A1:A2)", "\tTAB", "=1,2;3\n4"]
WELL = 77_000_001


def write_ndjson(path: Path, rows: list[dict]) -> Path:
    """Rows as NDJSON."""
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def hostile_rows() -> list[dict]:
    """One well with an SQL-injection name, and wells whose text cells look like spreadsheet formulas."""
    rows = [
        {
            "field_code": 4242,
            "field_name": FIELD_INJECTION,
            "well_code": WELL,
            "well_reference": "'; --",
            "well_name": INJECTION,
            "production_period": "2021-03",
            "days_on_production": 31,
            "oil_production_kbd": -1.5,
            "data_source": "%_\\",
        }
    ]
    for i, text in enumerate(FORMULAS, start=1):
        rows.append(
            {
                "field_code": 4243,
                "field_name": "Formula field",
                "well_code": WELL + i,
                "well_reference": text,
                "well_name": text,
                "production_period": "2021-03",
                "days_on_production": 31,
                "oil_production_kbd": -0.5 * i,
                "source_data": text,
            }
        )
    return rows


@pytest.fixture
def hostile(populated: Cli, tmp_path: Path) -> Cli:
    """The populated database with the hostile rows imported from a file whose path holds quotes."""
    folder = tmp_path / 'it\'s "quoted"; DROP'
    folder.mkdir()
    source = write_ndjson(folder / "o'hare; --.ndjson", hostile_rows())
    result = populated.run("import", "--json", str(source))
    assert result.code == 0, result.output
    assert json.loads(result.stdout)["inserted"] == 1 + len(FORMULAS)
    return populated


def test_a_well_named_like_sql_is_stored_and_shown_as_its_name(hostile: Cli) -> None:
    shown = hostile.run("well", str(WELL))
    assert shown.code == 0, shown.output
    assert INJECTION in shown.stdout
    assert json.loads(hostile.run("well", str(WELL), "--json").stdout)["well_name"] == INJECTION

    found = hostile.run("search", "DROP TABLE")
    assert found.code == 0 and INJECTION in found.stdout
    fields = json.loads(hostile.run("search", '"1"="1', "--json").stdout)["fields"]
    assert [f["field_name"] for f in fields] == [FIELD_INJECTION]

    stats = json.loads(hostile.run("stats", "--json").stdout)
    assert stats["records"] == 2000 + 1 + len(FORMULAS)


@pytest.mark.parametrize("text", ["%", "_", "'", "\\", "'; DROP TABLE well_summary; --"])
def test_search_text_is_matched_literally(hostile: Cli, text: str) -> None:
    before = db_state(hostile.db)

    result = hostile.run("search", text, "--json")

    assert result.code == 0, result.output
    wells = json.loads(result.stdout)["wells"]
    for well in wells:
        haystack = " ".join(str(well[k]) for k in ("well_code", "well_name", "well_reference"))
        assert text.lower() in haystack.lower(), well
    assert len(wells) < 50, "a wildcard matched everything"
    assert db_state(hostile.db) == before


def test_rejects_go_to_a_folder_whose_name_holds_quotes(cli: Cli, tmp_path: Path) -> None:
    rejects = tmp_path / 'o\'brien "rejects"'
    config = tmp_path / "config.toml"
    config.write_text(f"[paths]\nrejects_dir = '''{rejects}'''\n", encoding="utf-8")
    bad = hostile_rows()[:1] + [{"well_code": "abc", "production_period": "2021-01"}]

    result = cli.run("--config", str(config), "import", "--json", str(write_ndjson(tmp_path / "bad.ndjson", bad)))

    assert result.code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["rejected"] == 1
    assert Path(summary["rejects_file"]).parent == rejects
    assert "abc" in Path(summary["rejects_file"]).read_text(encoding="utf-8")


def read_csv(text: str) -> dict[str, dict[str, str]]:
    """An export's rows by well code."""
    return {row["well_code"]: row for row in csv.DictReader(io.StringIO(text))}


def test_csv_export_neutralises_formulas_by_default(hostile: Cli, tmp_path: Path) -> None:
    out = tmp_path / "all.csv"

    result = hostile.run("export", "-o", str(out))

    assert result.code == 0, result.output
    rows = read_csv(out.read_text(encoding="utf-8"))
    for i, text in enumerate(FORMULAS, start=1):
        row = rows[str(WELL + i)]
        assert row["well_name"] == "'" + text
        assert row["well_reference"] == "'" + text
        assert row["source_data"] == "'" + text
        assert float(row["oil_production_kbd"]) == -0.5 * i, "numbers are not text: never prefixed"
    streamed = hostile.run("export", "-o", "-")
    assert read_csv(streamed.stdout)[str(WELL + 1)]["well_name"] == "'" + FORMULAS[0]


def test_csv_export_keeps_values_exactly_when_told_not_to_neutralise(hostile: Cli, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[export]\nneutralise_formulas = false\n", encoding="utf-8")
    out = tmp_path / "raw.csv"

    result = hostile.run("--config", str(config), "export", "-o", str(out))

    assert result.code == 0, result.output
    rows = read_csv(out.read_text(encoding="utf-8"))
    for i, text in enumerate(FORMULAS, start=1):
        assert rows[str(WELL + i)]["well_name"] == text
        assert rows[str(WELL + i)]["source_data"] == text
    assert rows[str(WELL)]["well_name"] == INJECTION
    assert rows[str(WELL)]["field_name"] == FIELD_INJECTION


def test_export_never_overwrites_a_file_unless_forced(hostile: Cli, tmp_path: Path) -> None:
    out = tmp_path / "precious.csv"
    out.write_text("my own work\n", encoding="utf-8")

    refused = hostile.run("export", "--well", str(WELL), "-o", str(out))

    assert refused.code == 1
    assert "already exists" in refused.stderr and str(out) in refused.stderr
    assert_no_traceback(refused)
    assert out.read_text(encoding="utf-8") == "my own work\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []

    forced = hostile.run("export", "--well", str(WELL), "-o", str(out), "--force")

    assert forced.code == 0, forced.output
    assert out.read_text(encoding="utf-8").startswith("well_code,period,")


def test_export_into_a_folder_picks_a_new_name_beside_existing_files(hostile: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "keep.csv").write_text("keep\n", encoding="utf-8")

    result = hostile.run("export", "--field", "4243", "-o", str(folder))

    assert result.code == 0, result.output
    assert (folder / "keep.csv").read_text(encoding="utf-8") == "keep\n"
    written = [p for p in folder.iterdir() if p.name != "keep.csv"]
    assert len(written) == 1 and written[0].name.startswith("field-4243-wells-")
