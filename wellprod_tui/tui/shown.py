"""Text that came from a file or another process, as the app's markup shows it: as written, never obeyed."""

from __future__ import annotations

from wellprod_tui.core.text import visible, visible_lines


def literal(text: str, lines: bool = False) -> str:
    """Markup that shows ``text`` as written: control characters visible (line breaks kept with ``lines``),
    every ``[`` escaped; Textual's ``escape()`` misses some, e.g. after ``\\x1b[31m``."""
    return (visible_lines(text) if lines else visible(text)).replace("[", "\\[")
