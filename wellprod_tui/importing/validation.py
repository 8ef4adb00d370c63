"""Set-wise validation in SQL: source columns in, typed columns and a list of problems per row out.

Each rule is an SQL expression over a whole file at once; no Python runs per row. Problems are packed
into one text column (field, value, reason separated by control characters) that is NULL for good rows.
"""

from __future__ import annotations

from wellprod_tui.domain import KEY_COLUMNS, MAX_CODE_DIGITS, RATE_COLUMNS, RECORD_COLUMNS, TEXT_COLUMNS
from wellprod_tui.importing.tables import STAGED

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


def _is_numeric(kind: str) -> bool:
    return kind.upper().startswith(_NUMERIC_TYPES)


class _Column:
    """SQL for one source column of a given DuckDB type: its text, presence, and typed value."""

    def __init__(self, name: str, kind: str | None) -> None:
        self.name = name
        self.kind = (kind or "VARCHAR").upper()
        self.numeric = _is_numeric(self.kind)
        self.ref = f"r.raw_{name}"

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
        t = self.text()
        return (
            f"CASE WHEN regexp_full_match({t}, '[0-9]{{1,{MAX_CODE_DIGITS}}}(\\.0*)?') "
            f"THEN CAST(split_part({t}, '.', 1) AS BIGINT) END"
        )

    def number(self) -> str:
        return f"CAST({self.ref} AS DOUBLE)" if self.numeric else f"TRY_CAST({self.text()} AS DOUBLE)"

    def period(self) -> str:
        if self.kind == "DATE" or self.kind.startswith("TIMESTAMP"):
            return f"date_trunc('month', CAST({self.ref} AS DATE))"
        t = self.text()
        return f"""CASE
            WHEN regexp_full_match({t}, '[0-9]{{4}}-[0-9]{{2}}') THEN TRY_CAST({t} || '-01' AS DATE)
            WHEN regexp_full_match({t}, '[0-9]{{6}}')
                THEN TRY_CAST(substr({t}, 1, 4) || '-' || substr({t}, 5, 2) || '-01' AS DATE)
            WHEN regexp_full_match({t}, '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}([ T]00:00:00(\\.0+)?Z?)?')
                THEN date_trunc('month', TRY_CAST(substr({t}, 1, 10) AS DATE))
            END"""

    def problem(self, condition: str, reason_sql: str) -> str:
        value = f"replace(replace(coalesce({self.text()}, ''), chr(30), ' '), chr(31), ' ')"
        return f"CASE WHEN {condition} THEN '{self.name}' || {FIELD_SEP} || {value} || {FIELD_SEP} || {reason_sql} END"


_NOT_A_CODE = f"'not an integer code of 1 to {MAX_CODE_DIGITS} digits'"


def typed_select(reader_sql: str, source_types: dict[str, str]) -> str:
    """SELECT of typed record columns plus ``problems`` from a reader; ``source_types`` maps the columns the
    source has to their DuckDB types (text or already typed); absent columns are read as empty."""
    cols = {c: _Column(c, source_types.get(c)) for c in RECORD_COLUMNS}
    source = ", ".join(
        f"{_ident(c)} AS raw_{c}" if c in source_types else f"CAST(NULL AS VARCHAR) AS raw_{c}" for c in RECORD_COLUMNS
    )
    typed = {
        "field_code": cols["field_code"].code(),
        "well_code": cols["well_code"].code(),
        "production_period": cols["production_period"].period(),
        "days_on_production": cols["days_on_production"].number(),
        **{c: cols[c].number() for c in RATE_COLUMNS},
        **{c: cols[c].ref if cols[c].kind == "VARCHAR" else f"CAST({cols[c].ref} AS VARCHAR)" for c in TEXT_COLUMNS},
    }
    first = ", ".join(f"{typed[c]} AS {c}" for c in RECORD_COLUMNS)
    raw_refs = ", ".join(f"r.raw_{c}" for c in _CHECKED)
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
    ]
    packed = f"NULLIF(concat_ws({PROBLEM_SEP}, {', '.join(problems)}), '') AS problems"
    keep = ", ".join(f"r.{c}" for c in RECORD_COLUMNS)
    return f"SELECT {keep}, {packed} FROM (SELECT {first}, {raw_refs} FROM (SELECT {source} FROM {reader_sql}) r) r"


_CHECKED = ("field_code", "well_code", "production_period", "days_on_production", *RATE_COLUMNS)


def _number_problem(column: _Column) -> str:
    name = column.name
    return column.problem(
        f"(r.{name} IS NULL AND {column.present()}) OR NOT isfinite(r.{name})", "'not a finite number'"
    )


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


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
#: Rows of STAGED that repeat an earlier row's key (well, month), the first row's id, and whether
#: the values are the same as the first row's.
DUPLICATES_SQL = f"""
WITH keys AS (
    SELECT well_code, production_period FROM {STAGED} WHERE problems IS NULL GROUP BY ALL HAVING count(*) > 1
)
SELECT rid, first_rid, same FROM (
    SELECT s.rowid AS rid, min(s.rowid) OVER w AS first_rid,
           hash({_VALUES}) = arg_min(hash({_VALUES}), s.rowid) OVER w AS same
    FROM {STAGED} s SEMI JOIN keys k ON s.well_code = k.well_code AND s.production_period = k.production_period
    WHERE s.problems IS NULL
    WINDOW w AS (PARTITION BY s.well_code, s.production_period)
) WHERE rid <> first_rid"""
