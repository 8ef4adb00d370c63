"""One hostile name from every source the CLI reads (a file's name, a well, a field, a column, a profile, the
activity file of another process, the database's own path) through every command that shows it: nothing in
it acts on the terminal, it shows escaped, and ``--json`` keeps it exact."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.helpers.cli import Cli, Result

#: Sets the terminal's title, rings, turns text red, reverses what follows, and is Textual markup twice.
HOSTILE = "evil\x1b]0;pwn\x07\x1b[31m\u202e[/b][@click=app.quit]x"
#: The same, as a file name can hold it (no slash).
HOSTILE_FILE = HOSTILE.replace("/", "")
SHOWN = "evil\\x1b]0;pwn\\x07\\x1b[31m\\u202e[/b][@click=app.quit]x"
SHOWN_FILE = SHOWN.replace("/", "")
OBEYED = ("\x1b", "\x07", "\u202e", "\x9b", "\r")

HEADER = "field_code,field_name,well_code,well_name,production_period,days_on_production,oil_production_kbd"


def _csv_of_hostile_names(folder: Path) -> Path:
    """A native CSV so named, whose well and field carry the name, one row rejected, and a column of that name."""
    rows = [f"9,{HOSTILE},7,{HOSTILE},2020-{m:02d},28,{10 * 0.85**m:.4f},1" for m in range(1, 13)]
    rows.append(f"9,{HOSTILE},7,{HOSTILE},2021-13,28,1.0,1")  # no such month: rejected
    path = folder / f"{HOSTILE_FILE}.csv"
    path.write_text("\n".join([f"{HEADER},{HOSTILE_FILE}", *rows]) + "\n", encoding="utf-8")
    return path


def _hostile_profile(home: Path, env: dict[str, str]) -> None:
    folder = Path(subprocess.run(
        [sys.executable, "-c", "from wellprod_tui.core import config; print(config.user_profiles_dir())"],
        env=env, capture_output=True, text=True, check=True,
    ).stdout.strip())
    assert folder.is_relative_to(home)
    folder.mkdir(parents=True)
    (folder / f"{HOSTILE_FILE}.toml").write_text(
        f"[profile]\nname = {json.dumps(HOSTILE)}\ndescription = {json.dumps(HOSTILE)}\n"
        f"source = {json.dumps(HOSTILE)}\nrows = \"monthly\"\nvalues = \"rates\"\ndetect = [{json.dumps(HOSTILE)}]\n"
        f"[fields]\nwell_code = {json.dumps(HOSTILE)}\nproduction_period = \"month\"\n"
        "days_on_production = { column = \"days\", unit = \"days\" }\n",
        encoding="utf-8",
    )


def assert_nothing_obeyed(result: Result) -> None:
    for raw in OBEYED:
        assert raw not in result.output, f"{raw!r} reached the terminal:\n{result.output!r}"


def test_a_hostile_name_from_every_source_is_shown_escaped_by_every_command(cli: Cli, tmp_path: Path) -> None:
    db = cli.home / f"{HOSTILE_FILE}.duckdb"
    _hostile_profile(cli.home, cli.env)
    source = _csv_of_hostile_names(tmp_path)

    returned = tmp_path / "carriage.json"  # a carriage return hides what precedes it: JSON can hold one
    returned.write_text(json.dumps([{"well_code": 8, "well_name": f"{HOSTILE}\rhidden", "production_period": "2020-01",
                                     "days_on_production": 28}]), encoding="utf-8")
    assert cli.run("import", str(returned), db=db).code == 0
    imported = cli.run("import", str(source), db=db)
    again = tmp_path / "again"
    again.mkdir()
    revised = again / source.name  # the same file a month later: its first month revised
    revised.write_text(source.read_text(encoding="utf-8").replace(",2020-01,28,", ",2020-01,30,"), encoding="utf-8")
    assert cli.run("import", str(revised), db=db).code == 0
    shown = {" ".join(args[:3]): cli.run(*args, db=db) for args in (
        ("stats",), ("well", "7"), ("well", "8"), ("field", "9"), ("search", "evil"), ("profiles",), ("doctor",),
        ("config",), ("changes",),
        ("decline", "7"), ("decline", "--field", "9"), ("import", "--profile", HOSTILE, str(source)),
    )}

    for result in [imported, *shown.values()]:
        assert_nothing_obeyed(result)
    assert imported.code == 0, imported.output
    assert f"{SHOWN_FILE}.csv (csv" in imported.stdout and f"ignored columns not in the record: {SHOWN_FILE}" in (
        imported.stdout)
    assert f"rejected rows and reasons: {cli.home}" in imported.stdout and f"{SHOWN_FILE}-" in imported.stdout
    assert f"{SHOWN_FILE}.csv" in shown["stats"].stdout and f"{SHOWN_FILE}.duckdb" in shown["stats"].stdout
    assert SHOWN in shown["stats"].stdout  # the top fields table
    assert f"{SHOWN}␍hidden" in shown["well 8"].stdout
    for command in ("well 7", "field 9", "search evil"):
        assert SHOWN in shown[command].stdout, shown[command].output
    assert f"{SHOWN}  ({cli.home}" in shown["profiles"].stdout and f"  {SHOWN}\n  source:  {SHOWN}" in (
        shown["profiles"].stdout)
    assert f"{SHOWN_FILE}.duckdb" in shown["doctor"].stdout
    assert f"{SHOWN_FILE}.duckdb" in shown["config"].stdout
    assert f"{again}/{SHOWN_FILE}.csv: 1 month changed" in shown["changes"].stdout
    assert shown["decline 7"].code == 0 and shown["decline --field 9"].code == 0, shown
    assert f"profile {SHOWN} ({cli.home}" in shown[f"import --profile {HOSTILE}"].stderr

    as_json = [cli.run(*args, "--json", db=db) for args in (("well", "7"), ("search", "evil"), ("profiles",))]
    for result in as_json:
        assert_nothing_obeyed(result)
    assert json.loads(as_json[0].stdout)["well_name"] == HOSTILE
    assert json.loads(as_json[1].stdout)["fields"][0]["field_name"] == HOSTILE
    assert HOSTILE in [p["name"] for p in json.loads(as_json[2].stdout)["profiles"]]


def test_the_waiting_line_shows_what_another_process_said_escaped(cli: Cli, tmp_path: Path) -> None:
    db = cli.home / f"{HOSTILE_FILE}.duckdb"
    assert cli.run("import", str(_csv_of_hostile_names(tmp_path)), db=db).code == 0
    code = "import duckdb, sys\ncon = duckdb.connect(sys.argv[1])\nprint('ready', flush=True)\nsys.stdin.read()\n"
    holder = subprocess.Popen([sys.executable, "-c", code, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        activity = db.with_name(f".{db.name}.activity.json")
        activity.write_text(json.dumps({"pid": holder.pid, "program": HOSTILE, "doing": f"importing {HOSTILE}",
                                        "since": HOSTILE}), encoding="utf-8")

        waited = [cli.run(*args, "--wait", "0.3", db=db) for args in (("stats",), ("well", "7"), ("doctor",))]
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=30)

    for result in waited:
        assert_nothing_obeyed(result)
        assert result.code == 3, result.output
    assert f"waiting for process {holder.pid} ({SHOWN}, importing {SHOWN} since {SHOWN})" in waited[0].stderr
    assert f"{SHOWN_FILE}.duckdb: the database is in use by process {holder.pid}" in waited[1].stderr


def test_every_line_the_cli_prints_goes_through_the_one_door() -> None:
    import ast

    import wellprod_tui

    package = Path(wellprod_tui.__file__).parent
    printing = []
    for path in [package / "cli.py", *sorted((package / "commands").glob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and node.name != "print_json":
                printing += [f"{path.name}:{call.lineno}" for call in ast.walk(node) if isinstance(call, ast.Call)
                             and isinstance(call.func, ast.Name) and call.func.id == "print"]
    assert not printing, f"print() instead of say() (core/text.py) at {printing}"
