"""Every remappable key of the app, once: its id, default key, action, description and where it acts.

The App, screens and widgets take their BINDINGS from here; F1, the keymap check and the Decline panel's hints
read the same list, with the keys the config's [keys] maps the ids to.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from textual.binding import Binding, BindingType


@dataclass(frozen=True)
class Key:
    """One remappable binding: ``id`` is what [keys] in the config names."""

    id: str
    key: str
    action: str
    description: str
    where: str
    show: bool = True
    priority: bool = False

    def binding(self) -> Binding:
        """The Textual binding (remapped by the App's keymap)."""
        return Binding(self.key, self.action, self.description, show=self.show, priority=self.priority, id=self.id)


EVERYWHERE, TABLES, IMPORT, STATS, ONE_ITEM = "Everywhere", "Tables", "Import", "Stats", "Well, Field"
WELL, FIELD, DECLINE, FIELD_DECLINE, CHANGES = "Well", "Field", "Decline", "Field decline", "Changes"
TYPE_CURVE = "Type curve"
GROUPS = "Groups"

KEYS: tuple[Key, ...] = (
    Key("help", "f1", "help", "Help", EVERYWHERE, priority=True),
    Key("import", "f2", "mode('import')", "Import", EVERYWHERE, show=False, priority=True),
    Key("stats", "f3", "mode('stats')", "Stats", EVERYWHERE, show=False, priority=True),
    Key("well", "f4", "search('well')", "Well", EVERYWHERE, show=False, priority=True),
    Key("field", "f5", "search('field')", "Field", EVERYWHERE, show=False, priority=True),
    Key("export", "ctrl+e", "export", "Export", EVERYWHERE, priority=True),
    Key("quit", "ctrl+q", "quit", "Quit", EVERYWHERE, priority=True),
    Key("quit-letter", "q", "quit", "Quit", EVERYWHERE, show=False),
    Key("help-letter", "question_mark", "help", "Help", EVERYWHERE, show=False),
    Key("units", "u", "cycle_units", "Units", EVERYWHERE, show=False),
    Key("rates-volumes", "v", "toggle_volumes", "Rates/volumes", EVERYWHERE, show=False),
    Key("window-last-year", "f6", "last_months(12)", "Last 12 months", EVERYWHERE, show=False),
    Key("window-two-years", "f7", "last_months(24)", "Last 24 months", EVERYWHERE, show=False),
    Key("window-five-years", "f8", "last_months(60)", "Last 60 months", EVERYWHERE, show=False),
    Key("window-all", "f9", "last_months(0)", "All months", EVERYWHERE, show=False),
    Key("window-typed", "t", "type_window", "Time window", EVERYWHERE, show=False),
    Key("next-page", "n", "page(1)", "Next page", TABLES, show=False),
    Key("previous-page", "p", "page(-1)", "Prev page", TABLES, show=False),
    Key("first-row", "home", "first_row", "First row", TABLES, show=False),
    Key("last-row", "end", "last_row", "Last row", TABLES, show=False),
    Key("import-cancel", "escape", "cancel", "Cancel import", IMPORT, priority=True),
    Key("import-changes", "ctrl+r", "changes", "What it changed", IMPORT),
    Key("stats-log-scale", "l", "toggle_log", "Log scale", STATS),
    Key("stats-changes", "c", "changes", "What the last import changed", STATS, show=False),  # said on its line
    Key("back", "escape", "back", "Back", ONE_ITEM),
    Key("chart-kind", "k", "chart_kind", "Chart kind", ONE_ITEM, show=False),
    # the Well footer shows what fits in 80 columns beside ctrl+e and F1; o and l are listed by F1
    Key("well-open-field", "f", "open_field", "Its field", WELL),
    Key("well-decline", "d", "decline", "Decline", WELL),
    Key("well-search", "slash", "search", "Search", WELL),
    Key("well-previous", "left_square_bracket", "step(-1)", "Prev", WELL),
    Key("well-next", "right_square_bracket", "step(1)", "Next", WELL),
    Key("well-newest-first", "o", "flip_order", "Newest first", WELL, show=False),
    Key("well-log-scale", "l", "toggle_log", "Log scale", WELL, show=False),
    Key("field-sort", "s", "sort(1)", "Sort", FIELD),
    Key("field-sort-back", "S", "sort(-1)", "Sort back", FIELD, show=False),
    Key("field-reverse", "r", "reverse", "Reverse", FIELD),
    Key("field-filter", "w", "filter", "Filter", FIELD),
    Key("field-active", "a", "active", "Active", FIELD),
    Key("field-chart", "c", "toggle_chart", "Chart", FIELD),
    Key("field-log-scale", "l", "toggle_log", "Log", FIELD, show=False),
    Key("field-export-monthly", "m", "export_monthly", "Export monthly", FIELD, show=False),
    Key("field-search", "slash", "search", "Search", FIELD),
    Key("field-decline", "d", "decline", "Decline", FIELD),
    Key("field-type-curve", "y", "type_curve", "Type curve", FIELD, show=False),
    Key("decline-close", "escape", "close", "Back", DECLINE),
    Key("decline-start-earlier", "left_square_bracket", "move('start', -1)", "Start-", DECLINE),
    Key("decline-start-later", "right_square_bracket", "move('start', 1)", "Start+", DECLINE),
    Key("decline-end-earlier", "left_curly_bracket", "move('end', -1)", "End-", DECLINE),
    Key("decline-end-later", "right_curly_bracket", "move('end', 1)", "End+", DECLINE),
    Key("decline-model", "m", "model", "Model", DECLINE),
    Key("decline-b-down", "minus", "nudge_b(-1)", "b-", DECLINE),
    Key("decline-b-up", "plus,equals_sign", "nudge_b(1)", "b+", DECLINE),
    Key("decline-lock-b", "b", "lock_b", "Lock b", DECLINE),
    Key("decline-lock-qi", "i", "lock('qi')", "Lock qi", DECLINE, show=False),
    Key("decline-lock-di", "d", "lock('di')", "Lock Di", DECLINE, show=False),
    Key("decline-exclude", "l", "ask('exclude')", "Leave out", DECLINE, show=False),
    Key("decline-point-earlier", "comma", "point(-1)", "Point-", DECLINE, show=False),
    Key("decline-point-later", "full_stop", "point(1)", "Point+", DECLINE, show=False),
    Key("decline-point-toggle", "space", "toggle_point", "Point out/in", DECLINE, show=False),
    Key("decline-dmin", "x", "ask('dmin')", "Dmin", DECLINE),
    Key("decline-qel", "e", "ask('qel')", "Limit", DECLINE),
    Key("decline-phase", "p", "phase", "Phase", DECLINE),
    Key("decline-basis", "r", "basis", "Basis", DECLINE),
    Key("decline-save", "s", "save", "Save fit", DECLINE),
    Key("field-decline-close", "escape", "close", "Back", FIELD_DECLINE),
    Key("field-decline-phase", "p", "phase", "Phase", FIELD_DECLINE),
    Key("field-decline-basis", "r", "basis", "Basis", FIELD_DECLINE),
    Key("changes-close", "escape", "close", "Back", CHANGES),
    Key("type-curve-close", "escape", "close", "Back", TYPE_CURVE),
    Key("type-curve-align", "a", "align", "Align", TYPE_CURVE),
    Key("type-curve-phase", "p", "phase", "Phase", TYPE_CURVE),
    Key("type-curve-basis", "r", "basis", "Basis", TYPE_CURVE),
    Key("type-curve-log-scale", "l", "toggle_log", "Log", TYPE_CURVE),
    Key("groups", "f10", "mode('groups')", "Groups", EVERYWHERE, show=False, priority=True),
    Key("groups-attribute", "a", "choose_attribute", "Attribute", GROUPS),
    Key("groups-by-month", "b", "toggle_by_month", "By month", GROUPS),
    Key("groups-all-wells", "x", "all_wells", "All wells", GROUPS, show=False),
    Key("groups-log-scale", "l", "toggle_log", "Log", GROUPS, show=False),
)
_BY_ID = {key.id: key for key in KEYS}

#: How a key is written for a person: the symbol, not Textual's name of it.
_SHOWN = {
    "question_mark": "?", "slash": "/", "left_square_bracket": "[", "right_square_bracket": "]",
    "left_curly_bracket": "{", "right_curly_bracket": "}", "minus": "-", "plus": "+", "equals_sign": "=",
}


def bindings(where: str) -> list[BindingType]:
    """The bindings of one place (a screen, a widget, or the App for "Everywhere")."""
    return [key.binding() for key in KEYS if key.where == where]


def known_binding_ids() -> set[str]:
    """Every binding id: what [keys] in the config may remap."""
    return set(_BY_ID)


def shown_keys(binding_id: str, keymap: Mapping[str, str]) -> list[str]:
    """The keys of a binding now (after [keys] remapping), as a person writes them: ``[``, ``?``, ``ctrl+x``."""
    keys = keymap.get(binding_id) or _BY_ID[binding_id].key
    return [_SHOWN.get(k.strip(), k.strip()) for k in keys.split(",") if k.strip()]


def hint(binding_id: str, keymap: Mapping[str, str]) -> str:
    """The first key of a binding, short, for a panel's hints (``esc`` for escape)."""
    first = shown_keys(binding_id, keymap)[0]
    return "esc" if first == "escape" else first


def help_rows(keymap: Mapping[str, str]) -> list[tuple[str, str, str]]:
    """(where, keys, what) of every remappable binding, with its current keys, in the order above."""
    return [(key.where, ", ".join(shown_keys(key.id, keymap)), key.description) for key in KEYS]
