"""What the App and the screens know of each other, typed, without importing each other (or the core) early.

Screens reach the App through ``wellprod_app(self)``, typed by the ``Wellprod`` protocol (the App satisfies it;
nothing here imports the App); the App reaches a screen through the small protocols below.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, cast, runtime_checkable

if TYPE_CHECKING:
    from collections.abc import Callable

    from textual.dom import DOMNode

    from wellprod_tui.core.config import Config
    from wellprod_tui.core.months import Window
    from wellprod_tui.core.units import UnitSystem
    from wellprod_tui.queries import View
    from wellprod_tui.queries.selection import Selection
    from wellprod_tui.tui.backend import Backend

#: What every figure on screen is shown in: the units, the time window, monthly volumes (else rates).
ViewChoice = tuple["UnitSystem", "Window", bool]


class Wellprod(Protocol):
    """What screens, widgets and the palette use of the running app."""

    cfg: Config
    backend: Backend
    units: UnitSystem
    window: Window
    #: Monthly volumes (rate x days in month) instead of calendar-day rates in histories and charts.
    volumes: bool

    @property
    def view(self) -> ViewChoice:
        """The units, window and basis figures are shown in now."""

    def open_well(self, code: int) -> None:
        """Switch to the Well screen showing one well."""

    def open_field(self, code: int) -> None:
        """Switch to the Field screen showing one field."""

    def open_type_curve(self, selection: Selection) -> None:
        """Show the Type curve view of a set of wells."""
    def open_set(self, name: str) -> None:
        """Switch to the Groups screen grouping a saved set's wells."""

    def go_back(self) -> None:
        """Back to where the current item was opened from."""

    def action_mode(self, mode: str) -> None:
        """Switch to a top-level screen."""

    def action_search(self, mode: str) -> None:
        """Switch to the Well or Field screen with its search box focused."""

    def action_export(self) -> None:
        """Export the current screen's whole view to CSV."""

    def action_change_theme(self) -> None:
        """Choose the colour theme."""

    def export(self, view: View) -> None:
        """Export a whole view to CSV in a worker."""


def watch_view(node: DOMNode, callback: Callable[[], None]) -> None:
    """Call ``callback`` whenever the app's units, window or basis change (the app's reactives)."""
    for name in ("units", "window", "volumes"):
        node.watch(node.app, name, callback, init=False)


def wellprod_app(node: DOMNode) -> Wellprod:
    """The running app of a screen or widget, typed."""
    return cast("Wellprod", node.app)


@runtime_checkable
class ShowsOneItem(Protocol):
    """A screen that finds and shows one well or field."""

    code: int | None

    def show(self, code: int) -> None:
        """Load and show the item ``code``."""

    def focus_search(self) -> None:
        """Put the cursor in the search box, its text selected."""


@runtime_checkable
class ShowsSet(Protocol):
    """A screen that shows the wells of a saved set."""

    def show_set(self, name: str | None) -> None:
        """Show the set ``name`` (None: every well)."""


@runtime_checkable
class HasExportView(Protocol):
    """A screen whose whole view ctrl+e exports."""

    def export_view(self) -> View | None:
        """The view on screen, or None when nothing is shown yet."""


@runtime_checkable
class FollowsData(Protocol):
    """A screen whose figures come from the database, read again when an import commits."""

    def data_changed(self) -> None:
        """Drop what was read before the import and read what is shown again."""
