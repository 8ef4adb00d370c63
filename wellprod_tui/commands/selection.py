"""The wells a command reads, from its arguments: ``--all``, ``--field CODE`` or ``--wells FILE_OR_LIST``. The one
place decline and typecurve turn arguments into a selection (a saved set or a filter is one more branch here)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from wellprod_tui.commands.common import UserError
from wellprod_tui.core.exit_codes import EXIT_USAGE
from wellprod_tui.queries.selection import Selection, SelectionError, parse_well_list


def selection_from(args: argparse.Namespace) -> Selection | None:
    """The selection the arguments name; None when they name none; UserError when they name more than one or
    a list cannot be read."""
    given = [flag for flag, value in (("--all", getattr(args, "all", False)), ("--field", args.field is not None),
                                      ("--wells", args.wells is not None)) if value]
    if len(given) > 1:
        raise UserError(f"give one of {', '.join(given)}, not several", EXIT_USAGE)
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
