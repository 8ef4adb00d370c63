"""The edges, as a person meets them in the app: a FIFO typed in the Import box, the database file deleted
while the app is open, terminal escapes in names, absurd rates already stored. Nothing hangs or dies, nothing
is obeyed, every failure says why."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import duckdb
from textual.widgets import Input
from tui_helpers import SIZE, go, palette_text, screen_text, wait_for

from wellprod_tui.core import config
from wellprod_tui.storage import schema
from wellprod_tui.tui.app import create_app
from wellprod_tui.tui.widgets import ProductionTable

#: Sets the terminal's title, rings, turns text red, reverses what follows, and is Textual markup twice.
HOSTILE = "evil\x1b]0;pwn\x07\x1b[31m\u202e[/b][@click=app.quit]x"
HOSTILE_FILE = HOSTILE.replace("/", "")  # as a file name can hold it
SHOWN = "evil\\x1b]0;pwn\\x07\\x1b[31m\\u202e[/b][@click=app.quit]x"
SHOWN_FILE = SHOWN.replace("/", "")
OBEYED = ("\x1b", "\x07", "\u202e", "\r")
CSV_HEADER = "field_code,field_name,well_code,well_name,production_period,days_on_production,oil_production_kbd"


def _matches(app) -> str:  # noqa: ANN001
    from textual.widgets import OptionList

    options = app.screen.query_one(OptionList)
    return "\n".join(str(options.get_option_at_index(i).prompt) for i in range(options.option_count))


def _notes(app) -> list[str]:  # noqa: ANN001
    return [str(n.message) for n in app._notifications]


async def test_typing_a_fifo_in_the_import_box_never_blocks_the_app(sample_cfg: config.Config, tmp_path: Path) -> None:
    fifo = tmp_path / "feed.pipe"
    os.mkfifo(fifo)  # no writer will ever come: opening it for reading would wait for ever
    app = create_app(sample_cfg)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.current_mode == "stats")
        await go(pilot, "f2", "import-path")
        await pilot.press(*str(fifo))
        await wait_for(pilot, lambda: "a pipe or device" in screen_text(pilot))
        await pilot.press("f3")  # the app still answers keys
        await wait_for(pilot, lambda: app.current_mode == "stats")


async def test_the_database_deleted_while_the_app_is_open_is_said_and_an_import_starts_anew(
    sample_cfg: config.Config,
) -> None:
    app = create_app(sample_cfg)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.current_mode == "stats" and "4,200" in screen_text(pilot))
        await wait_for(pilot, lambda: not app.backend.holds_file, timeout=5)  # idle: the app let it go
        sample_cfg.database_path.unlink()

        await wait_for(pilot, lambda: any("the database file is gone" in n for n in _notes(app)))
        assert app.is_running
        await go(pilot, "f2", "import-path")
        app.screen.start_import(str(config.bundled_sample_path()))
        imported = app.backend.current_import
        assert imported is not None
        await wait_for(pilot, lambda: imported.has_ended and sample_cfg.database_path.exists(), timeout=60)
        await wait_for(pilot, lambda: "inserted 4,200" in screen_text(pilot))  # nothing written to a ghost file


def _on_screen(app) -> str:  # noqa: ANN001
    """What the terminal shows now, as the text of Textual's own screenshot; then the toasts' text unwrapped."""
    from textual.widgets._toast import Toast

    svg = app.export_screenshot()
    painted = html.unescape("".join(re.findall(r"<text [^>]*>(.*?)</text>", svg, re.S))).replace("\xa0", " ")
    return "\n".join([painted, *(str(toast.render()) for toast in app.screen.query(Toast))])


async def _shows_escaped(pilot, *texts: str) -> None:  # noqa: ANN001
    """Wait until the terminal shows ``texts``; nothing the app shows (header, toasts too) is a control code."""
    app = pilot.app
    await wait_for(pilot, lambda: all(text in _on_screen(app) for text in texts))
    shown = _on_screen(app) + str(app.title) + str(app.screen.sub_title) + "".join(_notes(app))
    shown += "".join(str(n.title) for n in app._notifications)
    assert not [c for c in OBEYED if c in shown], shown


async def test_a_hostile_name_shows_escaped_and_literal_on_every_screen(
    sample_cfg: config.Config, tmp_path: Path
) -> None:
    rows = [f"9,{HOSTILE},7,{HOSTILE},2020-{m:02d},28,{0.85**m:.4f}" for m in range(1, 13)]
    source = tmp_path / f"{HOSTILE_FILE}.csv"
    source.write_text("\n".join([CSV_HEADER, *rows, "9,x,7,x,2021-13,28,1"]) + "\n", encoding="utf-8")
    app = create_app(sample_cfg)
    async with app.run_test(size=(240, 50), notifications=True) as pilot:
        await wait_for(pilot, lambda: app.current_mode == "stats")
        await go(pilot, "f2", "import-path")
        app.screen.start_import(str(tmp_path / f"{HOSTILE_FILE}.missing"))
        await wait_for(pilot, lambda: any("does not exist" in n for n in _notes(app)))
        await _shows_escaped(pilot, f"{SHOWN_FILE}.missing does not exist")
        app.screen.start_import(str(source))
        done = lambda: app.backend.current_import is None and "inserted 12" in screen_text(pilot)  # noqa: E731
        await wait_for(pilot, done, timeout=60)
        await _shows_escaped(pilot, f"{SHOWN_FILE}.csv (csv", f"rejected rows and reasons: {tmp_path}")
        app.screen.query_one("#import-path", Input).value = f"{tmp_path}/ev"
        await pilot.press("tab")  # completes the one file so named: edited in place, ESC as one glyph (BEL dropped)
        await _shows_escaped(pilot, f"{tmp_path}/evil␛]0;pwn␛[31m\ufffd[b][@click=app.quit]x.csv")

        await pilot.press("f3")
        await wait_for(pilot, lambda: f"{SHOWN_FILE}.csv (12 new" in _on_screen(app))
        await _shows_escaped(pilot, "last import #2 completed")

        await go(pilot, "f4", "well-search")
        await pilot.press(*"evil")
        await wait_for(pilot, lambda: SHOWN in _matches(app))  # the match list shows the escape
        await _shows_escaped(pilot, SHOWN)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.query_one("#well-history", ProductionTable).total == 12)
        await _shows_escaped(pilot, f"7  {SHOWN}", f"well 7 {SHOWN}")  # summary (markup shown as written), header
        await pilot.press("ctrl+p", *"evil")  # the palette's hits show the name as the screens do
        await wait_for(pilot, lambda: "Open well 7" in palette_text(app))
        assert "\x1b" not in palette_text(app) and SHOWN in palette_text(app)
        await pilot.press("escape")

        await go(pilot, "f5", "field-search")
        await pilot.press(*"9", "enter")
        await wait_for(pilot, lambda: app.screen.query_one("#field-wells", ProductionTable).total == 1)
        await _shows_escaped(pilot, f"9  {SHOWN}", f"field 9 {SHOWN}")
        assert app.is_running  # [@click=app.quit] was never a link


async def test_the_busy_header_shows_what_another_process_said_escaped(sample_cfg: config.Config) -> None:
    database = sample_cfg.database_path
    code = "import duckdb, sys\ncon = duckdb.connect(sys.argv[1])\nprint('ready', flush=True)\nsys.stdin.read()\n"
    holder = subprocess.Popen([sys.executable, "-c", code, str(database)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        database.with_name(f".{database.name}.activity.json").write_text(json.dumps(
            {"pid": holder.pid, "program": HOSTILE, "doing": HOSTILE, "since": "12:01"}), encoding="utf-8")
        app = create_app(sample_cfg)
        async with app.run_test(size=(180, 24), notifications=True) as pilot:
            await wait_for(pilot, lambda: "busy" in _on_screen(app))
            await _shows_escaped(pilot, f"in use by process {holder.pid} ({SHOWN}, {SHOWN} since 12:01)")
            assert f"database busy: in use by process {holder.pid} ({SHOWN}, {SHOWN} since 12:01) · waiting" in (
                app.title)
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=30)


async def test_absurd_rates_already_stored_keep_every_screen_alive(sample_cfg: config.Config) -> None:
    con = duckdb.connect(str(sample_cfg.database_path))
    con.execute("UPDATE production SET oil_production_kbd = 1e308 WHERE well_code = 59806")
    con.execute("BEGIN")
    schema.refresh_derived_tables(con)
    con.execute("COMMIT")
    con.close()
    app = create_app(sample_cfg)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.current_mode == "stats" and "records" in screen_text(pilot))
        await go(pilot, "f4", "well-search")
        await pilot.press(*"59806", "enter")
        await wait_for(pilot, lambda: app.screen.query_one("#well-history", ProductionTable).total > 0)
        await pilot.press("l")  # log scale over it too
        await go(pilot, "f5", "field-search")
        await pilot.press(*"8908", "enter")
        await wait_for(pilot, lambda: app.screen.query_one("#field-wells", ProductionTable).total > 0)
        assert app.is_running
        assert not [n for n in app._notifications if n.severity == "error"], _notes(app)
