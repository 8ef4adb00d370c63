"""The Decline view's kept fits and ratio forecasts, run in its workers: the saved fit a phase starts from, the
saved mark on a fit that is the saved one, saving with who and when, and gas or water from the oil fit."""

from __future__ import annotations

from dataclasses import replace

from textual.dom import DOMNode

from wellprod_tui.decline import kept, ratios
from wellprod_tui.decline.analysis import Options, WellDecline
from wellprod_tui.queries import SavedFit
from wellprod_tui.tui.database import worker_cancelled
from wellprod_tui.tui.services import wellprod_app
from wellprod_tui.tui.widgets import with_cursor


class KeptFits:
    """One well's saved fits as its Decline view knows them: looked up once per phase, updated when it saves."""

    def __init__(self, node: DOMNode, well_code: int) -> None:
        self._node = node
        self._code = well_code
        self._found: dict[str, tuple[Options, SavedFit] | None] = {}

    def start(self, options: Options) -> Options:
        """The options a phase starts from: its saved fit's, else ``options`` (worker thread)."""
        phase = options.phase
        if phase not in self._found:
            self._found[phase] = with_cursor(self._node, lambda cur: kept.kept(cur, self._code, phase, options))
        found = self._found[phase]
        return options if found is None else found[0]

    def mark(self, result: WellDecline) -> WellDecline:
        """``result`` marked saved when its options are those of its phase's saved fit."""
        found = self._found.get(result.options.phase)
        return replace(result, saved=found[1]) if found is not None and found[0] == result.options else result

    def save(self, result: WellDecline) -> WellDecline:
        """Keep ``result``'s options as the well's fit in force for its phase (worker thread; waits for the file
        like an import)."""
        with wellprod_app(self._node).backend.link.writing("saving a decline fit", worker_cancelled) as cur:
            saved = kept.keep(cur, result)
        assert saved.saved is not None
        self._found[result.options.phase] = (result.options, saved.saved)
        return saved


def ratio_of(node: DOMNode, oil: WellDecline, phase: str) -> ratios.RatioDecline:
    """``phase`` forecast from the oil fit through its ratio trend (worker thread)."""
    return with_cursor(node, lambda cur: ratios.ratio_decline(cur, oil, phase))
