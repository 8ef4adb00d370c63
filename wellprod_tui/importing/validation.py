"""Set-wise validation in SQL: source columns in, typed columns and a list of problems per row out.

Each rule is an SQL expression over a whole file at once; no Python runs per row. Problems are packed
into one text column (field, value, reason separated by control characters) that is NULL for good rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from wellprod_tui.core.domain import KEY_COLUMNS, MAX_CODE_DIGITS, RATE_COLUMNS, RECORD_COLUMNS, TEXT_COLUMNS
from wellprod_tui.core.formulas import unneutralised
from wellprod_tui.core.sql_text import sql_identifier, sql_literal
from wellprod_tui.core.vocabulary import DUPLICATE_POLICIES
from wellprod_tui.importing.tables import DUPLICATES, STAGED

FIELD_SEP = "chr(30)"
PROBLEM_SEP = "chr(31)"
FIRST_YEAR, LAST_YEAR = 1900, 2100


_NUMERIC_TYPES = (
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "HUGEINT",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "UBIGINT",
    "UHUGEINT",
    "FLOAT",
    "DOUBLE",
    "DECIMAL",
)
_CODE_LIMIT = 10**MAX_CODE_DIGITS


@dataclass(frozen=True)
class RateLimits:
    """Physical bounds of a rate ([import] max_rate_kbd, max_gas_mmcfd): a larger value is a typo or a unit
    mistake, and months of it would overflow every total."""

    max_rate_kbd: float = 10_000
    max_gas_mmcfd: float = 100_000

    def bound(self, column: str) -> tuple[float, str, str]:
        """(bound, unit, config key) of a rate column."""
        if column.startswith("gas_"):
            return self.max_gas_mmcfd, "MMcf/d", "max_gas_mmcfd"
        return self.max_rate_kbd, "kbd", "max_rate_kbd"


def _is_numeric(kind: str) -> bool:
    return kind.upper().startswith(_NUMERIC_TYPES)


class _Column:
    """SQL for one source column of a given DuckDB type: its text, presence, and typed value."""

    def __init__(self, name: str, kind: str | None, origin: str = "") -> None:
        self.name = name
        self.kind = (kind or "VARCHAR").upper()
        self.numeric = _is_numeric(self.kind)
        self.ref = f"r.raw_{name}"
        #: Where a mapping profile took the value from, added to each reason.
        self.origin = origin

    def text(self, ref: str | None = None) -> str:
        """The value as trimmed text, NULL when empty (only evaluated where a rule needs it)."""
        ref = ref or self.ref
        return f"NULLIF(trim({ref}), '')" if self.kind == "VARCHAR" else f"CAST({ref} AS VARCHAR)"

    def present(self) -> str:
        return f"{self.ref} IS NOT NULL" if self.kind != "VARCHAR" else f"trim({self.ref}) <> ''"

    def missing(self) -> str:
        return f"{self.ref} IS NULL" + ("" if self.kind != "VARCHAR" else f" OR trim({self.ref}) = ''")

    def code(self) -> str:
        if self.numeric:
            v = self.ref
            return f"CASE WHEN {v} >= 0 AND {v} < {_CODE_LIMIT} AND {v} = trunc({v}) THEN CAST({v} AS BIGINT) END"
        t, v = self.text(), self.ref
        # plain digits first (nearly every code; no trim, no split); -0 is 0, as JSON readers read the number -0
        plain = (f"WHEN regexp_full_match({v}, '[0-9]{{1,{MAX_CODE_DIGITS}}}') THEN CAST({v} AS BIGINT) "
                 if self.kind == "VARCHAR" else "")
        return (
            f"CASE {plain}WHEN regexp_full_match({t}, '(-0+|[0-9]{{1,{MAX_CODE_DIGITS}}})(\\.0*)?') "
            f"THEN CAST(split_part({t}, '.', 1) AS BIGINT) END"
        )

    def number(self) -> str:
        if self.numeric:
            return f"CAST({self.ref} AS DOUBLE)"
        # DuckDB reads 1_000 as 1000; data files do not write numbers so. The cast itself skips the spaces
        # around a number and reads blank text as NULL, so text is not trimmed first.
        t = self.ref if self.kind == "VARCHAR" else self.text()
        return f"CASE WHEN strpos({t}, '_') = 0 THEN TRY_CAST({t} AS DOUBLE) END"

    def period(self) -> str:
        if self.kind == "DATE" or self.kind.startswith("TIMESTAMP"):
            return f"date_trunc('month', CAST({self.ref} AS DATE))"
        t, v = self.text(), self.ref
        plain = (f"WHEN regexp_full_match({v}, '[0-9]{{4}}-[0-9]{{2}}') THEN TRY_CAST({v} || '-01' AS DATE) "
                 f"WHEN regexp_full_match({v}, '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}') "
                 f"THEN date_trunc('month', TRY_CAST({v} AS DATE))"
                 if self.kind == "VARCHAR" else "")  # as most files write a month or a day, untrimmed
        return f"""CASE {plain}
            WHEN regexp_full_match({t}, '[0-9]{{4}}-[0-9]{{2}}') THEN TRY_CAST({t} || '-01' AS DATE)
            WHEN regexp_full_match({t}, '[0-9]{{6}}')
                THEN TRY_CAST(substr({t}, 1, 4) || '-' || substr({t}, 5, 2) || '-01' AS DATE)
            WHEN regexp_full_match({t}, '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}([ T]00:00:00(\\.0+)?Z?)?')
                THEN date_trunc('month', TRY_CAST(substr({t}, 1, 10) AS DATE))
            END"""

    def problem(self, condition: str, reason_sql: str) -> str:
        value = f"replace(replace(replace(coalesce({self.text()}, ''), chr(30), ' '), chr(31), ' '), chr(0), '\\0')"
        if self.origin:
            reason_sql = f"{reason_sql} || ' (' || {sql_literal(self.origin)} || ')'"
        return f"CASE WHEN {condition} THEN '{self.name}' || {FIELD_SEP} || {value} || {FIELD_SEP} || {reason_sql} END"



def _of_text(text_sql: str) -> _Column:
    column = _Column("value", "VARCHAR")
    column.ref = text_sql
    return column


def month_of_text(text_sql: str) -> str:
    """SQL: the first day of the month a text names (YYYY-MM, YYYYMM, YYYY-MM-DD), NULL when it names none."""
    return _of_text(text_sql).period()


def number_of_text(text_sql: str) -> str:
    """SQL: the number a text holds (the one number rule: no ``1_000``), NULL when it holds none."""
    return _of_text(text_sql).number()


_NOT_A_CODE = f"'not an integer code of 1 to {MAX_CODE_DIGITS} digits'"


def typed_select(
    reader_sql: str,
    source_types: dict[str, str],
    origins: dict[str, str] | None = None,
    limits: RateLimits | None = None,
    unneutralise: bool = False,
    source_row: bool = False,
) -> str:
    """SELECT of typed record columns plus ``problems`` from a reader; ``source_types`` maps the columns the
    source has to their DuckDB types (text or already typed); absent columns are read as empty. ``origins``
    says where a mapping profile took each field from, for the reasons of rejects. Rates beyond ``limits``
    are problems; ``unneutralise`` reverses the formula quote of wellprod's own CSV files. With ``source_row``
    the reader's ``source_row`` (the file's row a record came from, when they differ) is carried along."""
    limits = limits or RateLimits()
    cols = {c: _Column(c, source_types.get(c), (origins or {}).get(c, "")) for c in RECORD_COLUMNS}
    source = ", ".join(
        f"{sql_identifier(c)} AS raw_{c}" if c in source_types else f"CAST(NULL AS VARCHAR) AS raw_{c}"
        for c in RECORD_COLUMNS
    ) + (", source_row" if source_row else "")
    typed = {
        "field_code": cols["field_code"].code(),
        "well_code": cols["well_code"].code(),
        "production_period": cols["production_period"].period(),
        "days_on_production": cols["days_on_production"].number(),
        **{c: cols[c].number() for c in RATE_COLUMNS},
        **{c: _text(cols[c], unneutralise) for c in TEXT_COLUMNS},
    }
    first = ", ".join(f"{typed[c]} AS {c}" for c in RECORD_COLUMNS)
    raw_refs = ", ".join(f"r.raw_{c}" for c in _CHECKED) + (", r.source_row" if source_row else "")
    well, period = (cols[c] for c in KEY_COLUMNS)
    field, days = cols["field_code"], cols["days_on_production"]
    problems = [
        well.problem(well.missing(), "'missing (part of the key)'"),
        well.problem(f"r.well_code IS NULL AND {well.present()}", _NOT_A_CODE),
        field.problem(f"r.field_code IS NULL AND {field.present()}", _NOT_A_CODE),
        period.problem(period.missing(), "'missing (part of the key)'"),
        period.problem(
            f"r.production_period IS NULL AND {period.present()}", "'not a month (YYYY-MM, YYYY-MM-01 or YYYYMM)'"
        ),
        period.problem(
            f"year(r.production_period) NOT BETWEEN {FIRST_YEAR} AND {LAST_YEAR}",
            f"'year outside {FIRST_YEAR}..{LAST_YEAR}'",
        ),
        _number_problem(days),
        days.problem(
            "isfinite(r.days_on_production) AND (r.days_on_production < 0 OR "
            "r.days_on_production > day(last_day(r.production_period)))",
            "'outside 0..' || day(last_day(r.production_period)) || ' (days in ' || "
            "strftime(r.production_period, '%Y-%m') || ')'",
        ),
        *(_number_problem(cols[c]) for c in RATE_COLUMNS),
        *(_bound_problem(cols[c], *limits.bound(c)) for c in RATE_COLUMNS),
        *(_nul_problem(c) for c in TEXT_COLUMNS),
    ]
    packed = f"NULLIF(concat_ws({PROBLEM_SEP}, {', '.join(problems)}), '') AS problems"
    keep = ", ".join(f"r.{c}" for c in RECORD_COLUMNS) + (", r.source_row" if source_row else "")
    return f"SELECT {keep}, {packed} FROM (SELECT {first}, {raw_refs} FROM (SELECT {source} FROM {reader_sql}) r) r"


_CHECKED = ("field_code", "well_code", "production_period", "days_on_production", *RATE_COLUMNS)


def _text(column: _Column, unneutralise: bool) -> str:
    text = column.ref if column.kind == "VARCHAR" else f"CAST({column.ref} AS VARCHAR)"
    return unneutralised(text) if unneutralise else text


def _nul_problem(name: str) -> str:
    column = _Column(name, "VARCHAR")
    column.ref = f"r.{name}"  # the typed text: raw text columns are not carried to the problems
    return column.problem(f"strpos(r.{name}, chr(0)) > 0", "'holds a NUL character (no CSV reader keeps it)'")


def _bound_problem(column: _Column, bound: float, unit: str, key: str) -> str:
    return column.problem(
        f"isfinite(r.{column.name}) AND abs(r.{column.name}) > {bound!r}",
        f"'beyond {bound:,.0f} {unit}, more than any well or field produces ([import] {key})'",
    )


def _number_problem(column: _Column) -> str:
    name = column.name
    return column.problem(
        f"(r.{name} IS NULL AND {column.present()}) OR NOT isfinite(r.{name})", "'not a finite number'"
    )



#: Warnings: rows imported but counted. (code, description, condition over the production columns)
WARNING_RULES: tuple[tuple[str, str, str], ...] = (
    (
        "negative_rate",
        "negative rate (metering correction)",
        " OR ".join(f"{c} < 0" for c in RATE_COLUMNS),
    ),
    (
        "production_without_days",
        "production reported with 0 days on production",
        "days_on_production = 0 AND (" + " OR ".join(f"{c} > 0" for c in RATE_COLUMNS) + ")",
    ),
    (
        "days_missing",
        "days on production missing",
        "days_on_production IS NULL",
    ),
    (
        "liquids_below_oil",
        "liquids below oil (liquids include oil)",
        "liquids_production_kbd < oil_production_kbd - 1e-9 * abs(oil_production_kbd)",
    ),
)


def warning_counts_sql(table: str, where: str = "TRUE") -> str:
    """One row: the number of rows each warning rule flags, and the rows with any warning."""
    parts = [f"count(*) FILTER (WHERE {cond}) AS {code}" for code, _, cond in WARNING_RULES]
    anyw = " OR ".join(f"({cond})" for _, _, cond in WARNING_RULES)
    parts.append(f"count(*) FILTER (WHERE {anyw}) AS any_warning")
    return f"SELECT {', '.join(parts)} FROM {table} WHERE {where}"


_VALUES = ", ".join(c for c in RECORD_COLUMNS if c not in KEY_COLUMNS)


def duplicates_sql(policy: str = "reject") -> str:
    """Rows of STAGED that repeat another row's key (well, month) and are not kept as they are: their id,
    the id of the row that is kept (the first, or the last for ``last``), and whether their values are the
    kept row's."""
    if policy not in DUPLICATE_POLICIES:
        raise ValueError(f"duplicates policy must be one of {', '.join(DUPLICATE_POLICIES)}, not {policy!r}")
    keep, arg = ("max", "arg_max") if policy == "last" else ("min", "arg_min")
    return f"""
WITH keys AS (
    SELECT well_code, production_period FROM {STAGED} WHERE problems IS NULL GROUP BY ALL HAVING count(*) > 1
)
SELECT rid, kept_rid, same FROM (
    SELECT s.rowid AS rid, {keep}(s.rowid) OVER w AS kept_rid,
           hash({_VALUES}) = {arg}(hash({_VALUES}), s.rowid) OVER w AS same
    FROM {STAGED} s SEMI JOIN keys k ON s.well_code = k.well_code AND s.production_period = k.production_period
    WHERE s.problems IS NULL
    WINDOW w AS (PARTITION BY s.well_code, s.production_period)
) WHERE rid <> kept_rid"""


#: Today's behaviour, kept under its old name: later rows of a key are rejected, the first is kept.
DUPLICATES_SQL = duplicates_sql("reject")


def sum_conflicts_sql(limits: RateLimits | None = None) -> str:
    """UPDATE of STAGED before rows repeating a well and month are added up (duplicates = sum): every good row
    of a key is rejected when another of its rows is, when its rows name different fields, or when their sum
    passes a rate bound (the bound applies to the record the rows would make, as it applies to one row)."""
    limits = limits or RateLimits()
    good = "FILTER (WHERE problems IS NULL)"
    checks = [
        f"CASE WHEN count(*) FILTER (WHERE problems IS NOT NULL) > 0 THEN 'well_code, production_period' || "
        f"{FIELD_SEP} || well_code || ' ' || strftime(production_period, '%Y-%m') || {FIELD_SEP} || 'another "
        "row of this well and month is rejected: the rows added up would not be the month (duplicates = sum)' END",
        f"CASE WHEN count(DISTINCT field_code) {good} > 1 THEN 'field_code' || {FIELD_SEP} || "
        f"string_agg(DISTINCT CAST(field_code AS VARCHAR), ' and ' ORDER BY CAST(field_code AS VARCHAR)) {good} || "
        f"{FIELD_SEP} || 'the rows of this well and month name different fields; rows are added up within one "
        "field' END",
    ]
    for c in RATE_COLUMNS:
        bound, unit, key = limits.bound(c)
        total = f"sum({c}) {good}"
        checks.append(
            f"CASE WHEN isfinite({total}) AND abs({total}) > {bound!r} THEN '{c}' || {FIELD_SEP} || "
            f"CAST({total} AS VARCHAR) || {FIELD_SEP} || 'the ' || count(*) || ' rows of this well and month add "
            f"up beyond {bound:,.0f} {unit}, more than any well or field produces ([import] {key})' END"
        )
    return f"""
UPDATE {STAGED} AS s SET problems = g.problems
FROM (
    SELECT well_code, production_period, NULLIF(concat_ws({PROBLEM_SEP}, {", ".join(checks)}), '') AS problems
    FROM {STAGED} WHERE well_code IS NOT NULL AND production_period IS NOT NULL
    GROUP BY well_code, production_period HAVING count(*) > 1
) g
WHERE s.problems IS NULL AND g.problems IS NOT NULL
    AND s.well_code = g.well_code AND s.production_period = g.production_period"""


def sum_duplicates_sql() -> str:
    """UPDATE of STAGED: each kept row of a repeated key gets the sum of its rows' rates, the largest days on
    production, and its rows' differing texts joined (e.g. formations ``CODELL + NIOBRARA``)."""
    texts = TEXT_COLUMNS
    merged = [
        *(f"sum(t.{c}) AS {c}" for c in RATE_COLUMNS),
        "max(t.days_on_production) AS days_on_production",
        *(
            f"CASE WHEN count(DISTINCT t.{c}) > 1 THEN string_agg(DISTINCT t.{c}, ' + ' ORDER BY t.{c}) "
            f"ELSE max(t.{c}) END AS {c}"
            for c in texts
        ),
    ]
    assignments = ", ".join(f"{c} = g.{c}" for c in (*RATE_COLUMNS, "days_on_production", *texts))
    return f"""
UPDATE {STAGED} AS s SET {assignments}
FROM (
    SELECT d.kept_rid, {", ".join(merged)}
    FROM (SELECT DISTINCT kept_rid AS rid, kept_rid FROM {DUPLICATES}
          UNION ALL SELECT rid, kept_rid FROM {DUPLICATES}) d
    JOIN (SELECT rowid AS rid, * FROM {STAGED}) t ON t.rid = d.rid
    GROUP BY d.kept_rid
) g
WHERE s.rowid = g.kept_rid"""
