"""What the App and the screens know of each other: typed, without importing each other (or the core) early.

Screens reach the App through ``wellprod_app(self)``; the App reaches a screen through the small protocols here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, cast, runtime_checkable

from textual.message import Message

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from wellprod_tui.importing import ImportProgress, ImportSummary
    from wellprod_tui.queries import View
    from wellprod_tui.tui.app import WellprodApp


def wellprod_app(node: DOMNode) -> WellprodApp:
    """The running WellprodApp of a screen or widget, typed."""
    return cast("WellprodApp", node.app)


@runtime_checkable
class ShowsOneItem(Protocol):
    """A screen that finds and shows one well or field."""

    code: int | None

    def show(self, code: int) -> None:
        """Load and show the item ``code``."""

    def focus_search(self) -> None:
        """Put the cursor in the search box, its text selected."""


@runtime_checkable
class FollowsView(Protocol):
    """A screen that reads again when the units, rates or volumes, or the time window change."""

    def follow_view(self) -> None:
        """Show the figures in the app's current units, basis and window."""


@runtime_checkable
class HasExportView(Protocol):
    """A screen whose whole view ctrl+e exports."""

    def export_view(self) -> View | None:
        """The view on screen, or None when nothing is shown yet."""


class ImportProgressed(Message):
    """Where the running import is (coalesced to a few a second)."""

    def __init__(self, progress: ImportProgress) -> None:
        super().__init__()
        self.progress = progress


class ImportEnded(Message):
    """The import finished (summary), was cancelled, or failed (text)."""

    def __init__(self, summary: ImportSummary | None, text: str = "", was_cancelled: bool = False) -> None:
        super().__init__()
        self.summary, self.text, self.was_cancelled = summary, text, was_cancelled
