"""Keypress -> view painted, and start-up, measured precisely. Not part of the default test run.

    python tests/benchmarks/keypress_to_view.py DATABASE [WELL_CODE ...] [--breakdown] [--size=200x50]

(make a 5M-record database with: wellprod sample --records 5000000 --format parquet -o /tmp/x.parquet;
wellprod --db /tmp/x.duckdb import /tmp/x.parquet)

Keypress -> view (pilot, in process): F4, the code typed and its matches shown, then the clock starts as the
Enter key is posted to the app and stops at the end of the first screen update (compositor refresh) that
paints the well's summary, chart and history. Three cases, each over 5 other wells (median):
  warm  the connection is open (a read happened < IDLE_RELEASE_S ago);
  cold  the app let the file go (idle > IDLE_RELEASE_S) before Enter, so Enter opens it again;
  burst from idle, F4, the code and Enter arrive in one burst (as over SSH): clock from the burst to the view.
Start-up (a real process in a pseudo-terminal of the same size): process start -> first frame written, and -> the Stats
screen's record count written. Median of 3 launches.
"""

from __future__ import annotations

import asyncio
import os
import pty
import select
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tui"))

from conftest import make_config  # noqa: E402
from textual import events  # noqa: E402
from textual.screen import Screen  # noqa: E402
from textual.widgets import DataTable  # noqa: E402

from tests.helpers.app import wait_for  # noqa: E402
from wellprod_tui import storage  # noqa: E402
from wellprod_tui.tui import database as app_database  # noqa: E402
from wellprod_tui.tui.app import create_app  # noqa: E402
from wellprod_tui.tui.chart import ProductionChart  # noqa: E402
from wellprod_tui.tui.search_box import SearchBox  # noqa: E402
from wellprod_tui.tui.widgets import ProductionTable  # noqa: E402

#: (name, start, end) of traced calls, perf_counter seconds, any thread.
TRACE: list[tuple[str, float, float]] = []


class PaintProbe:
    """Set when a compositor refresh of the app's screen happened with ``done(screen)`` true."""

    def __init__(self, done: Callable[[Screen], bool]) -> None:
        self.done = done
        self.at: float | None = None
        self.event = asyncio.Event()


PROBE: PaintProbe | None = None


def install_paint_hook() -> None:
    """Time each compositor refresh (the step that renders widgets and writes the update)."""
    original = Screen._compositor_refresh

    def timed(self: Screen) -> None:
        started = time.perf_counter()
        original(self)
        ended = time.perf_counter()
        TRACE.append(("paint", started, ended))
        probe = PROBE
        if probe is not None and probe.at is None and self is self.app.screen and probe.done(self):
            probe.at = ended
            probe.event.set()

    Screen._compositor_refresh = timed  # type: ignore[method-assign]


def trace(cls: type, name: str) -> None:
    """Record each call of ``cls.name`` in TRACE."""
    original = getattr(cls, name)

    def traced(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            TRACE.append((f"{cls.__name__}.{name}", started, time.perf_counter()))

    setattr(cls, name, traced)


def install_breakdown() -> None:
    """Trace the steps between Enter and the view."""
    from wellprod_tui import queries
    from wellprod_tui.storage import locking
    from wellprod_tui.tui.screens import one_item

    for cls, name in (
        (one_item.OneItemScreen, "show"),
        (one_item.OneItemScreen, "_fill"),
        (ProductionChart, "show"),
        (ProductionChart, "render"),
        (ProductionTable, "_fill"),
        (SearchBox, "submit"),
        (SearchBox, "_show"),
        (Screen, "_refresh_layout"),
        (DataTable, "_update_dimensions"),
    ):
        trace(cls, name)
    for name in ("well", "read_all", "read_page", "search_wells"):
        original = getattr(queries, name)

        def traced(*args: Any, _original: Any = original, _name: str = name, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return _original(*args, **kwargs)
            finally:
                TRACE.append((f"queries.{_name}", started, time.perf_counter()))

        setattr(queries, name, traced)
    original_connect = locking.connect_waiting

    def connect(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return original_connect(*args, **kwargs)
        finally:
            TRACE.append(("connect (cold open)", started, time.perf_counter()))

    locking.connect_waiting = connect


def well_painted(code: int) -> Callable[[Screen], bool]:
    """The well's summary, chart and history are on the screen."""

    def done(screen: Screen) -> bool:
        if getattr(screen, "code", None) != code:
            return False
        table = screen.query_one("#well-history", ProductionTable)
        chart = screen.query_one(ProductionChart)
        return (
            table.view is not None and table.view.name == f"well-{code}" and table.row_count > 0
            and chart.display and str(code) in str(screen.sub_title)
        )

    return done


async def measure_keys(database: Path, codes: list[int], size: tuple[int, int], breakdown: bool) -> dict[str, Any]:
    """Keypress -> view for each code: warm, cold and burst (ms); the traces of the last well of each case."""
    global PROBE
    cfg = make_config(Path(tempfile.mkdtemp(prefix="wellprod-bench-")), database)
    app = create_app(cfg)
    results: dict[str, list[float]] = {"warm": [], "cold": [], "burst": []}
    traces: dict[str, list[tuple[str, float, float]]] = {}
    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, lambda: app.current_mode == "stats", timeout=60)
        await pilot.pause(1.0)

        async def enter_and_time(code: int, keys: list[str], case: str) -> None:
            global PROBE
            PROBE = probe = PaintProbe(well_painted(code))
            TRACE.clear()
            t0 = time.perf_counter()
            for key in keys:
                app.post_message(events.Key(key, "\r" if key == "enter" else key if len(key) == 1 else None))
            await asyncio.wait_for(probe.event.wait(), 30)
            assert probe.at is not None
            results[case].append((probe.at - t0) * 1000)
            traces[case] = [(n, (s - t0) * 1000, (e - t0) * 1000) for n, s, e in TRACE if e >= t0]
            PROBE = None

        async def typed(code: int) -> None:
            await pilot.press("f4", *str(code))
            box = app.screen.query_one(SearchBox)
            await wait_for(pilot, lambda: box.text == str(code) and not box.searching)

        async def released() -> None:
            await wait_for(pilot, lambda: not app.backend.holds_file, timeout=10)
            await pilot.pause(0.2)

        per_case = len(codes) // 3
        for code in codes[:per_case]:
            await typed(code)
            await enter_and_time(code, ["enter"], "warm")
        await pilot.press("f3")
        for code in codes[per_case:2 * per_case]:
            await typed(code)
            await released()
            await enter_and_time(code, ["enter"], "cold")
        await pilot.press("f3")
        for code in codes[2 * per_case:]:
            await released()
            await enter_and_time(code, ["f4", *str(code), "enter"], "burst")
            await pilot.press("f3")
    return {"times": results, "traces": traces if breakdown else {}}


def launch_times(database: Path, records_text: str, size: tuple[int, int]) -> tuple[float, float]:
    """One launch of ``wellprod --db DATABASE`` in a pseudo-terminal: (s to first frame, s to the record count)."""
    home = tempfile.mkdtemp(prefix="wellprod-bench-home-")
    env = {**os.environ, "TERM": "xterm-256color", "HOME": home, "XDG_CONFIG_HOME": f"{home}/c",
           "XDG_STATE_HOME": f"{home}/s", "XDG_DATA_HOME": f"{home}/d", "COLUMNS": str(size[0]),
           "LINES": str(size[1])}
    exe = str(Path(sys.executable).with_name("wellprod"))
    started = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # the child: size its terminal, then become wellprod
        import fcntl
        import struct
        import termios

        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        os.execve(exe, [exe, "--db", str(database)], env)
    seen = b""
    first_frame = counts = None
    deadline = started + 30
    try:
        while counts is None and time.perf_counter() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.5)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            seen += chunk
            now = time.perf_counter()
            if first_frame is None and b"Opening the database" in seen:
                first_frame = now - started
            if counts is None and records_text.encode() in seen:
                counts = now - started
        os.write(fd, b"\x11")  # ctrl+q
        end = time.perf_counter() + 5
        while time.perf_counter() < end:
            ready, _, _ = select.select([fd], [], [], 0.2)
            if ready:
                try:
                    if not os.read(fd, 65536):
                        break
                except OSError:
                    break
    finally:
        os.waitpid(pid, 0)
        os.close(fd)
    if first_frame is None or counts is None:
        raise SystemExit(f"start-up not seen: first frame {first_frame}, counts {counts}")
    return first_frame, counts


def summary(values: list[float]) -> str:
    return f"median {statistics.median(values):.0f} ms ({', '.join(f'{v:.0f}' for v in values)})"


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    breakdown = "--breakdown" in sys.argv
    size = (80, 24)
    for flag in sys.argv:
        if flag.startswith("--size="):
            w, h = flag.removeprefix("--size=").split("x")
            size = (int(w), int(h))
    database = Path(args[0])
    codes = [int(c) for c in args[1:]]  # 3 x N: N wells per case (a well is never opened twice)
    with storage.opened(database, read_only=True) as con:
        records = con.execute("SELECT count(*) FROM production").fetchone()[0]
        if not codes:
            codes = [r[0] for r in con.execute(
                "SELECT well_code FROM well_summary USING SAMPLE reservoir(15 ROWS) REPEATABLE (8)").fetchall()]
    print(f"# {database} ({records:,} records), wells {codes}, terminal {size[0]}x{size[1]}, "
          f"load average {os.getloadavg()[0]:.2f}, IDLE_RELEASE_S {app_database.IDLE_RELEASE_S}")
    launches = [launch_times(database, f"{records:,}", size) for _ in range(3)]
    print(f"start-up, process start -> first frame: "
          f"{summary([first * 1000 for first, _ in launches])} (goal <= 300 ms)")
    print(f"start-up, process start -> Stats counts on screen: "
          f"{summary([counts * 1000 for _, counts in launches])} (goal <= 600 ms)")
    install_paint_hook()
    if breakdown:
        install_breakdown()
    found = asyncio.run(measure_keys(database, codes, size, breakdown))
    for case, label in (("warm", "warm (connection open)"), ("cold", "cold (file let go, opened again)"),
                        ("burst", "burst from idle (F4, code, Enter at once)")):
        print(f"Enter on a well code -> view painted, {label}: {summary(found['times'][case])} (goal <= 100 ms)")
    for case, steps in found["traces"].items():
        print(f"\n## trace of the last {case} well (ms from the key)")
        for name, start, end in sorted(steps, key=lambda s: s[1]):
            print(f"{start:8.1f} {end:8.1f} {end - start:7.1f}  {name}")


if __name__ == "__main__":
    main()
