"""The wells a command reads, from its arguments: ``--all``, ``--field CODE``, ``--wells FILE_OR_LIST``, or
``--set NAME`` and/or ``--where FILTER``. The one place decline and typecurve turn arguments into a selection."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from wellprod_tui.commands.common import UserError
from wellprod_tui.core.exit_codes import EXIT_USAGE
from wellprod_tui.core.well_filter import FilterError
from wellprod_tui.queries.selection import Selection, SelectionError, parse_well_list


def selection_from(args: argparse.Namespace) -> Selection | None:
    """The selection the arguments name; None when they name none; UserError when they name more than one or
    a list cannot be read."""
    set_name, where = getattr(args, "set_name", None), getattr(args, "where", None)
    given = [flag for flag, value in (("--all", getattr(args, "all", False)), ("--field", args.field is not None),
                                      ("--wells", args.wells is not None),
                                      ("--set/--where", set_name is not None or where is not None)) if value]
    if len(given) > 1:
        raise UserError(f"give one of {', '.join(given)}, not several", EXIT_USAGE)
    if set_name is not None or where is not None:
        return Selection("filter", set_name=set_name, where=where)
    try:
        if args.wells is not None:
            return Selection("wells", typed_codes=_well_list(args.wells))
    except SelectionError as exc:
        raise UserError(f"--wells: {exc}", EXIT_USAGE) from exc
    if args.field is not None:
        return Selection("field", field_code=args.field)
    return Selection("all") if given else None


def _well_list(text: str) -> tuple[str, ...]:
    """Typed codes from ``-`` (stdin), a file (one a line; a first line with no digit is a header) or a list."""
    if text == "-":
        content = sys.stdin.read()
    elif Path(text).is_file():
        try:
            content = Path(text).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise UserError(f"--wells: cannot read {text}: {exc}") from exc
        first, _, rest = content.partition("\n")
        content = content if any(ch.isdigit() for ch in first) else rest
    else:
        content = text
    codes = parse_well_list(content)
    if not codes:
        raise UserError(f"--wells: no well codes in {text!r}", EXIT_USAGE)
    return codes


@contextmanager
def filter_errors() -> Iterator[None]:
    """A filter that cannot be read (when the selection is evaluated) as a UserError naming ``--where``."""
    try:
        yield
    except FilterError as exc:
        raise UserError(f"--where: {exc}", EXIT_USAGE) from exc
