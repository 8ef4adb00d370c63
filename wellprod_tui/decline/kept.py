"""Fits that are kept: a well's fit options saved as a document of named options (whatever ``Options`` holds,
so options added later need no schema change) with who and when, and read back as the fit a view starts from."""

from __future__ import annotations

import getpass
from dataclasses import asdict, fields, replace
from datetime import UTC, datetime
from typing import Any

import numpy as np

from wellprod_tui import queries
from wellprod_tui.decline import qc
from wellprod_tui.decline.analysis import DeclineError, Options, WellDecline, well_decline
from wellprod_tui.decline.batch import BatchDecline, BatchHistory, fit_batch, read_batch_history
from wellprod_tui.decline.field import FieldDecline, FieldHistory, fit_field, read_field_history
from wellprod_tui.queries.selection import Selection
from wellprod_tui.storage.connection import Connection

__all__ = ["document", "fit_field_kept", "keep", "kept", "kept_batch_decline", "kept_decline", "kept_field_decline",
           "options_from", "user"]


def document(options: Options) -> dict[str, Any]:
    """The options by name, as JSON holds them (tuples become lists, the QC thresholds an object): the window,
    exclusions and inclusions, the locks, the model, the limit and cap, and the rules the fit was found by."""
    return asdict(options)


def options_from(doc: dict[str, Any], base: Options | None = None) -> Options:
    """Options from a saved document over ``base`` (default ``Options()``): names this version does not know are
    left out, names the document lacks (saved by an older version) keep ``base``'s value."""
    known = {f.name for f in fields(Options)}
    named: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in doc.items() if k in known}
    if isinstance(named.get("qc"), dict):
        thresholds = {f.name for f in fields(qc.Thresholds)}
        named["qc"] = qc.Thresholds(**{k: v for k, v in named["qc"].items() if k in thresholds})
    return replace(base or Options(), **named)


def user() -> str:
    """Who saves: the login name (``unknown`` where the system cannot say)."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


def keep(con: Connection, result: WellDecline) -> WellDecline:
    """Save the options of ``result`` as its well's fit in force for its phase; the result marked saved."""
    saved = queries.save_fit(con, result.well_code, result.options.phase, document(result.options), user(),
                             datetime.now(UTC).replace(tzinfo=None))
    return replace(result, saved=saved)


def kept(con: Connection, code: int, phase: str, base: Options | None = None
         ) -> tuple[Options, queries.SavedFit] | None:
    """The saved fit of the well's ``phase`` and the options it holds (over ``base``: ``options_from``); None
    when none was saved."""
    saved = queries.saved_fit(con, code, phase)
    if saved is None:
        return None
    return replace(options_from(saved.options, base), phase=phase), saved


def kept_decline(con: Connection, code: int, options: Options, auto: bool = False) -> WellDecline:
    """The well's fit in force for the options' phase: its saved fit unless ``auto`` (or none was saved), else a
    fit with ``options``. DeclineError when a saved fit no longer fits the records, saying how to fit afresh."""
    found = None if auto else kept(con, code, options.phase, options)
    if found is None:
        return well_decline(con, code, options)
    saved_options, saved = found
    try:
        return replace(well_decline(con, code, saved_options), saved=saved)
    except DeclineError as exc:
        raise DeclineError(f"{exc} (with the fit saved {saved.saved_on}; --auto fits afresh)") from exc


def fit_field_kept(history: FieldHistory, options: Options, auto: bool = False) -> FieldDecline:
    """A field's decline in which each well with a saved fit of the phase is fitted with its own saved options
    (unless ``auto``) and the others with ``options``; every forecast starts after the field's last month."""
    saved = {} if auto else history.saved
    if not saved:
        return fit_field(history, options)
    data = {name: np.asarray(values) for name, values in history.data.items()}
    last_month = int(np.max(data["month"]))
    if options.to_month is not None:
        last_month = min(last_month, options.to_month)
    own = np.isin(data["well_code"], list(saved))
    parts = []
    if not own.all():
        rest = {name: values[~own] for name, values in data.items()}
        parts.append(fit_field(replace(history, data=rest, saved={}), options, last_month))
    for code, fit in sorted(saved.items()):
        rows = data["well_code"] == code
        one = replace(history, data={name: values[rows] for name, values in data.items()}, saved={})
        part = fit_field(one, replace(options_from(fit.options, options), phase=history.phase), last_month)
        parts.append(replace(part, wells=[replace(w, saved_on=fit.saved_on) for w in part.wells]))
    return _summed(parts, options)


def _summed(parts: list[FieldDecline], options: Options) -> FieldDecline:
    """One field's decline from parts that forecast from the same month (their months line up from the first)."""
    longest = max(parts, key=lambda p: len(p.months))
    span = len(longest.months)

    def padded(values: np.ndarray) -> np.ndarray:
        return np.pad(values, (0, span - len(values)))

    return replace(
        parts[0],
        options=options,
        months=list(longest.months),
        rates=np.sum([padded(p.rates) for p in parts], axis=0) if span else np.zeros(0),
        volumes=np.sum([padded(p.volumes) for p in parts], axis=0) if span else np.zeros(0),
        cum_to_date=sum(p.cum_to_date for p in parts),
        wells=sorted((w for p in parts for w in p.wells), key=lambda w: w.well_code),
        unfitted=sorted((w for p in parts for w in p.unfitted), key=lambda w: w.well_code),
        reported_only=False,
        defaults=tuple(dict.fromkeys(name for p in parts for name in p.defaults)),
    )


def kept_field_decline(con: Connection, code: int, options: Options, auto: bool = False) -> FieldDecline:
    """Read a field's history and fit it with its wells' saved fits (``fit_field_kept``)."""
    options.check()
    return fit_field_kept(read_field_history(con, code, options.phase), options, auto)


def kept_batch_decline(con: Connection, selection: Selection, options: Options, auto: bool = False) -> BatchDecline:
    """A batch table in which each well with a saved fit of the phase is fitted with its own saved options
    (unless ``auto``; its row says when it was saved) and the others with ``options``."""
    options.check()
    history = read_batch_history(con, selection, options.phase)
    codes = np.asarray(history.data["well_code"])
    saved = {} if auto or not codes.size else queries.saved_fits_of(con, np.unique(codes).tolist(), options.phase)
    if not saved:
        return fit_batch(history, options)
    groups: list[tuple[Options, list[int]]] = []  # wells saved with the same options are fitted together
    for code, fit in saved.items():
        own_options = replace(options_from(fit.options, options), phase=options.phase)
        same = next((g for o, g in groups if o == own_options), None)
        if same is None:
            groups.append((own_options, [code]))
        else:
            same.append(code)

    def part(keep: np.ndarray, unmatched: tuple[str, ...] = ()) -> BatchHistory:
        return replace(history, data={name: np.asarray(v)[keep] for name, v in history.data.items()},
                       unmatched=unmatched)

    own = np.isin(codes, list(saved))
    base = fit_batch(part(~own, history.unmatched), options) if (~own).any() or history.unmatched else None
    parts = [fit_batch(part(np.isin(codes, group)), saved_options) for saved_options, group in groups]
    rows = [] if base is None else list(base.rows)
    for p in parts:
        rows += [replace(r, saved_on=saved[int(r.well_code)].saved_on) for r in p.rows]
    rows.sort(key=lambda r: (isinstance(r.well_code, str), str(r.well_code) if isinstance(r.well_code, str)
                             else r.well_code))
    first = base or parts[0].without_fits()  # its forecasts are cut with its own options: kept in parts
    return replace(first, options=options, rows=rows, parts=tuple(parts))
