"""Keypress -> view drawn, measured in a pilot: Enter on a well code until its history and chart are on screen.

Not part of the default run.  python tests/benchmarks/keypress_to_view.py DATABASE [WELL_CODE ...]
(make one with: wellprod sample --records 5000000 --format parquet -o /tmp/x.parquet; wellprod --db D import ...)
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tui"))

from conftest import make_config  # noqa: E402
from tui_helpers import wait_for  # noqa: E402

from wellprod_tui import store  # noqa: E402
from wellprod_tui.tui.app import create_app  # noqa: E402
from wellprod_tui.tui.widgets import ProductionTable  # noqa: E402


async def measure(database: Path, codes: list[int]) -> tuple[float, list[float]]:
    cfg = make_config(Path("/tmp/wellprod-bench"), database)
    app = create_app(cfg)
    started = time.perf_counter()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.current_mode == "stats", timeout=60)
        opened = time.perf_counter() - started
        times = []
        for code in codes:
            await pilot.press("f4", *str(code))
            await pilot.pause(0.3)  # the search of the typed text has answered, as it has for a person
            t0 = time.perf_counter()
            await pilot.press("enter")
            history = app.screen.query_one("#well-history", ProductionTable)
            await wait_for(pilot, lambda c=code, history=history: app.screen.code == c and history.view is not None
                           and history.first_row == 0 and history.total > 0 and str(c) in str(app.screen.sub_title))
            await pilot.wait_for_scheduled_animations()
            times.append(time.perf_counter() - t0)
    return opened, times


def main() -> None:
    database = Path(sys.argv[1])
    codes = [int(c) for c in sys.argv[2:]]
    if not codes:
        with store.opened(database, read_only=True) as con:
            codes = [r[0] for r in con.execute("SELECT well_code FROM well_summary USING SAMPLE 5 ROWS").fetchall()]
    opened, times = asyncio.run(measure(database, codes))
    print(f"database open to Stats (pilot): {opened * 1000:.0f} ms")
    print(f"Enter on a well code -> view drawn: median {statistics.median(times) * 1000:.0f} ms "
          f"({', '.join(f'{t * 1000:.0f}' for t in times)} ms) over {len(times)} wells")


if __name__ == "__main__":
    main()
