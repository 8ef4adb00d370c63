"""A mapping profile compiled to SQL over DuckDB's CSV reader: the file's rows land as text in PROFILE_ROWS
(read as every CSV is, see read_errors, in file order so each keeps its row number), and one SELECT over
them yields the record's columns as text, converted (rates as calendar-day averages in kbd / MMcfd) and,
for daily rows, added up into months, plus ``source_row``: the file's row it came from. Numbers and months
are read by validation's rules; a value they refuse passes through as the file had it, so that the
import's one validation rejects it naming the row, the profile and the column. No per-row Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from wellprod_tui.core.domain import RATE_COLUMNS, RECORD_COLUMNS
from wellprod_tui.core.sql_text import sql_identifier, sql_literal
from wellprod_tui.importing.profiles import DAY_UNITS, GAS_UNITS, LIQUID_UNITS, FieldSpec, Profile, template_parts
from wellprod_tui.importing.read_errors import csv_reader_sql
from wellprod_tui.importing.tables import PROFILE_ROWS
from wellprod_tui.importing.validation import month_of_text, number_of_text


def _raw(column: str) -> str:
    return f"NULLIF(trim(p.{sql_identifier(column)}), '')"


@dataclass(frozen=True)
class CompiledProfile:
    """The statements that read a file through a profile, and where each field came from."""

    load_sql: str
    select_sql: str
    origins: dict[str, str]
    #: One row: the rows read, and those the profile's filter keeps.
    count_sql: str
    #: The profile's per-month attributes (``[attributes]``): one row per well, month, attribute and value,
    #: with the volumes of the rows that gave it (kbbl, MMcf); empty when the profile has none.
    attributes_sql: str = ""


def compile_profile(
    profile: Profile, path: Path, columns: tuple[str, ...], delimiter: str, duplicates: str = "reject"
) -> CompiledProfile:
    """SQL that loads ``path`` (header ``columns``) into PROFILE_ROWS and selects records from it. A daily
    profile's repeated well-day is a duplicate under the ``duplicates`` policy: ``sum`` adds it into the
    month, ``last`` keeps the last of the day's rows, ``reject`` and ``first`` the first."""
    reader = csv_reader_sql(path, columns, delimiter, lines_before_data=1 + profile.skip_rows)
    load = f"CREATE OR REPLACE TEMP TABLE {PROFILE_ROWS} AS SELECT * FROM {reader}"
    where = " AND ".join(f"{_raw(c)} = {sql_literal(v)}" for c, v in profile.where) or "TRUE"
    injector = _injection_only(profile)
    kept = f"({where}) AND NOT ({injector})"
    rows = (
        f"(SELECT * FROM (SELECT *, rowid - (SELECT min(rowid) FROM {PROFILE_ROWS}) + 1 AS __row "
        f"FROM {PROFILE_ROWS}) p WHERE {kept}) p"
    )
    per_row = _per_row(profile)
    if profile.rows == "daily":  # the day itself, which a repeated row repeats
        per_row["__day"] = _text(profile.fields["production_period"], code=False)
    inner = f"SELECT {', '.join(f'{sql} AS {name}' for name, sql in per_row.items())}, p.__row FROM {rows}"
    repeats = "0"
    if profile.rows == "daily":
        inner, repeats = _one_row_per_day(inner, duplicates)
        select = _monthly_from_daily(profile, inner)
    else:
        outputs = [_output(profile, c, False) for c in RECORD_COLUMNS]
        select = f"SELECT {', '.join(outputs)}, __row AS source_row FROM ({inner}) p"
    origins = {
        name: f"profile {profile.name}, column {' + '.join(spec.source_columns())}"
        for name, spec in profile.fields.items()
        if spec.source_columns()
    }
    count = (f"SELECT count(*), count(*) FILTER (WHERE {where}), ({repeats}), "
             f"count(*) FILTER (WHERE ({where}) AND ({injector})) FROM {PROFILE_ROWS} p")
    return CompiledProfile(load, select, origins, count, _attributes_sql(profile, rows))


#: The record's rate columns → the volume columns of month_attributes.
_ATTRIBUTE_VOLUMES = {"oil_production_kbd": "oil_kbbl", "gas_production_mmcfd": "gas_mmcf",
                      "water_production_kbd": "water_kbbl", "liquids_production_kbd": "liquids_kbbl"}


def _attributes_sql(profile: Profile, rows: str) -> str:
    """SQL: per well, month, attribute and value, the volumes of the rows that give it (a month reported
    once per formation keeps each formation's volumes)."""
    if not profile.attributes:
        return ""
    per_row = _per_row(profile) | {f"__attr{i}": _raw(column) for i, (_, column) in enumerate(profile.attributes)}
    inner = f"SELECT {', '.join(f'{sql} AS {name}' for name, sql in per_row.items())} FROM {rows}"
    whole_month = profile.values == "volumes" or profile.rows == "daily"  # a daily rate is that day's volume
    volumes = ", ".join(
        (f"sum({rate}__n{'' if whole_month else ' * day(last_day(__month))'})" if rate in profile.fields else "NULL")
        + f" AS {column}" for rate, column in _ATTRIBUTE_VOLUMES.items()
    )
    pairs = ", ".join(f"({sql_literal(name)}, __attr{i})" for i, (name, _) in enumerate(profile.attributes))
    return (f"SELECT TRY_CAST(well_code AS BIGINT) AS well_code, __month AS production_period, a.name, a.value, "
            f"{volumes} FROM ({inner}) p CROSS JOIN LATERAL (VALUES {pairs}) a(name, value) "
            "WHERE __month IS NOT NULL GROUP BY ALL")


def _padded(text: str, digits: int) -> str:
    """SQL: ``text`` left-padded with zeros to ``digits``; a longer text is kept whole (lpad would cut it)."""
    return f"CASE WHEN length({text}) < {digits} THEN lpad({text}, {digits}, '0') ELSE {text} END"


def _text(spec: FieldSpec, code: bool) -> str:
    """SQL text of a code or text field, per row (NULL when a column it needs is empty)."""
    if spec.value is not None:
        return sql_literal(spec.value)
    if spec.template is not None:
        pieces = [
            sql_literal(text)
            if column is None
            else (_padded(_raw(column), int(text)) if text else _raw(column))
            for column, text in template_parts(spec.template)
        ]
        return "(" + " || ".join(pieces) + ")" if pieces else "NULL"
    value = _raw(spec.columns[0])
    if code and spec.api:  # 05-123-31642-01, 0512331642 (no sidetrack: 00), or API-14 (first 12 digits)
        digits = f"regexp_replace({value}, '[-\\s]', '', 'g')"
        return f"CASE length({digits}) WHEN 10 THEN {digits} || '00' WHEN 14 THEN left({digits}, 12) ELSE {digits} END"
    return value


def _period_text(spec: FieldSpec, daily: bool) -> str:
    if spec.year and spec.month:
        y, m = _raw(spec.year), _raw(spec.month)
        joined = f"{y} || '-' || {_padded(m, 2)}"
        return f"CASE WHEN {y} IS NULL OR {m} IS NULL THEN concat_ws('-', {y}, {m}) ELSE {joined} END"
    value = _text(spec, code=False)
    if daily:  # the day's month, or the text as it is (then rejected as not a month)
        return f"coalesce(strftime({month_of_text(value)}, '%Y-%m'), {value})"
    return value


def _numbers(spec: FieldSpec, factor: float) -> tuple[str, str, str]:
    """SQL per row: the value in the record's units (several columns added up), whether one is not a number,
    and the first such text."""
    raws = [_raw(c) for c in spec.columns]
    nums = [number_of_text(r) for r in raws]
    bad = [f"({r} IS NOT NULL AND {n} IS NULL)" for r, n in zip(raws, nums, strict=True)]
    total = nums[0] if len(nums) == 1 else (
        f"CASE WHEN {' AND '.join(f'{n} IS NULL' for n in nums)} THEN NULL "
        f"ELSE {' + '.join(f'coalesce({n}, 0)' for n in nums)} END"
    )
    # a number the unit's factor takes past any double (1e308 GSm3) goes on as the file wrote it, to be
    # rejected with that text and its line rather than as 'inf'
    converted = f"({total}) * {factor!r}"
    overflow = f"coalesce(NOT isfinite({converted}), false)"
    first_bad = ("CASE " + " ".join(f"WHEN {b} THEN {r}" for b, r in zip(bad, raws, strict=True))
                 + f" WHEN {overflow} THEN coalesce({', '.join(raws)}) END")
    return converted, " OR ".join([*bad, overflow]), first_bad


def _per_row(profile: Profile) -> dict[str, str]:
    """Named SQL expressions per source row: texts, the month, numbers with their bad flags."""
    daily = profile.rows == "daily"
    out: dict[str, str] = {}
    for name, spec in profile.fields.items():
        if name == "production_period":
            out["production_period"] = _period_text(spec, daily)
            out["__month"] = month_of_text(out["production_period"])
        elif name in RATE_COLUMNS or (name == "days_on_production" and not spec.days_in_month):
            units = DAY_UNITS if name == "days_on_production" else (
                GAS_UNITS if name == "gas_production_mmcfd" else LIQUID_UNITS
            )
            factor = units[spec.unit] if spec.unit else 1.0
            if spec.columns:
                out[f"{name}__n"], out[f"{name}__bad"], out[f"{name}__raw"] = _numbers(spec, factor)
            else:
                out[f"{name}__n"] = f"{number_of_text(_text(spec, False))} * {factor!r}"
                out[f"{name}__bad"], out[f"{name}__raw"] = "false", "NULL"
        elif name != "days_on_production":
            out[name] = _text(spec, code=name in ("field_code", "well_code"))
    return out


def _number_output(profile: Profile, name: str, spec: FieldSpec, daily: bool) -> str:
    """The text of a number field: converted, or ``line N: value`` for a value that is not a number."""
    days = "day(last_day(__month))"
    if name == "days_on_production" and spec.days_in_month:
        return f"CAST({'any_value' if daily else ''}({days}) AS VARCHAR)"
    n, bad, raw = f"{name}__n", f"{name}__bad", f"{name}__raw"
    if daily:
        value = f"sum({n})"
        flagged = f"bool_or({bad})"
        shown = f"arg_min({raw}, __row) FILTER (WHERE {bad})"
        days = f"any_value({days})"
    else:
        value, flagged, shown = n, bad, raw
    if name in RATE_COLUMNS and (profile.values == "volumes" or daily):
        value = f"{value} / {days}"  # a month's (or the days') volume → calendar-day average rate
    if name == "days_on_production" and spec.unit == "hours":
        # a clock change gives a 25-hour day; no hours stay unknown (least() would skip the NULL)
        value = f"CASE WHEN ({value}) IS NULL THEN NULL ELSE least({value}, {days}) END"
    return f"CASE WHEN {flagged} THEN {shown} ELSE CAST({value} AS VARCHAR) END"


def _output(profile: Profile, name: str, daily: bool) -> str:
    spec = profile.fields.get(name)
    if spec is None:
        return f"NULL::VARCHAR AS {name}"
    if name in RATE_COLUMNS or name == "days_on_production":
        return f"{_number_output(profile, name, spec, daily)} AS {name}"
    if daily and name not in ("well_code", "production_period"):
        return f"arg_max({name}, __row) FILTER (WHERE {name} IS NOT NULL) AS {name}"  # as last given that month
    return f"{name}"


def _injection_only(profile: Profile) -> str:
    """SQL over a raw row: it injects and produces nothing (an injector's row, not production)."""
    if not profile.injection:
        return "FALSE"
    injects = " OR ".join(f"coalesce({number_of_text(_raw(c))}, 0) > 0" for c in profile.injection)
    produced = [
        f"coalesce({number_of_text(_raw(c))}, 0) <> 0"
        for name in RATE_COLUMNS if name in profile.fields for c in profile.fields[name].columns
    ]
    return f"({injects}) AND NOT ({' OR '.join(produced) or 'FALSE'})"


def _one_row_per_day(inner: str, duplicates: str) -> tuple[str, str]:
    """The daily rows with a repeated well-day left out (unless the policy adds it up), and SQL counting the
    repeated rows."""
    ranked = (
        "SELECT *, row_number() OVER (PARTITION BY well_code, __day "
        f"ORDER BY __row {'DESC' if duplicates == 'last' else ''}) AS __nth FROM ({inner}) p"
    )
    repeats = f"SELECT count(*) FROM ({ranked}) r WHERE __nth > 1"
    if duplicates == "sum":
        return inner, repeats
    return f"SELECT * EXCLUDE (__nth) FROM ({ranked}) r WHERE __nth = 1", repeats


def _monthly_from_daily(profile: Profile, inner: str) -> str:
    """Days added up into months per well: volumes summed, hours summed, texts as the month last had them;
    the month's row is its first day with a value that is not a number, else its first day."""
    bad = " OR ".join(f"coalesce({c}, false)" for c in _bad_flags(profile)) or "false"
    return (
        f"SELECT {', '.join(_output(profile, c, True) for c in RECORD_COLUMNS)}, "
        f"coalesce(min(__row) FILTER (WHERE {bad}), min(__row)) AS source_row FROM ({inner}) p "
        "GROUP BY well_code, production_period"
    )


def _bad_flags(profile: Profile) -> list[str]:
    return [f"{name}__bad" for name, spec in profile.fields.items() if spec.columns and (
        name in RATE_COLUMNS or (name == "days_on_production" and not spec.days_in_month))]
