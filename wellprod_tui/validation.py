"""Set-wise validation in SQL: text columns in, typed columns and a list of problems per row out.

Each rule is an SQL expression over a whole file at once; no Python runs per row. Problems are packed
into one text column (field, value, reason separated by control characters) that is NULL for good rows.
"""

from __future__ import annotations

from wellprod_tui.domain import MAX_CODE_DIGITS, RATE_COLUMNS, RECORD_COLUMNS, TEXT_COLUMNS

FIELD_SEP = "chr(30)"
PROBLEM_SEP = "chr(31)"
FIRST_YEAR, LAST_YEAR = 1900, 2100


def _t(column: str) -> str:
    """The column's text, trimmed, NULL when empty."""
    return f"NULLIF(trim(r.{column}), '')"


def _code(column: str) -> str:
    t = _t(column)
    return (
        f"CASE WHEN regexp_full_match({t}, '[0-9]{{1,{MAX_CODE_DIGITS}}}(\\.0*)?') "
        f"THEN CAST(split_part({t}, '.', 1) AS BIGINT) END"
    )


def _number(column: str) -> str:
    return f"TRY_CAST({_t(column)} AS DOUBLE)"


_PERIOD_TEXT = _t("production_period")
PERIOD_SQL = f"""CASE
    WHEN regexp_full_match({_PERIOD_TEXT}, '[0-9]{{4}}-[0-9]{{2}}')
        THEN TRY_CAST({_PERIOD_TEXT} || '-01' AS DATE)
    WHEN regexp_full_match({_PERIOD_TEXT}, '[0-9]{{6}}')
        THEN TRY_CAST(substr({_PERIOD_TEXT}, 1, 4) || '-' || substr({_PERIOD_TEXT}, 5, 2) || '-01' AS DATE)
    WHEN regexp_full_match({_PERIOD_TEXT}, '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}([ T]00:00:00(\\.0+)?Z?)?')
        THEN date_trunc('month', TRY_CAST(substr({_PERIOD_TEXT}, 1, 10) AS DATE))
    END"""


def _problem(condition: str, field: str, reason_sql: str) -> str:
    value = f"replace(replace(coalesce(r.raw_{field}, ''), chr(30), ' '), chr(31), ' ')"
    return f"CASE WHEN {condition} THEN '{field}' || {FIELD_SEP} || {value} || {FIELD_SEP} || {reason_sql} END"


def typed_select(reader_sql: str, columns_present: tuple[str, ...]) -> str:
    """SELECT of typed record columns plus ``problems`` from a reader whose columns are all text."""
    raw = ", ".join(
        f"CAST({_ident(c)} AS VARCHAR) AS {c}" if c in columns_present else f"CAST(NULL AS VARCHAR) AS {c}"
        for c in RECORD_COLUMNS
    )
    typed = {
        "field_code": _code("field_code"),
        "well_code": _code("well_code"),
        "production_period": PERIOD_SQL,
        "days_on_production": _number("days_on_production"),
        **{c: _number(c) for c in RATE_COLUMNS},
        **{c: f"r.{c}" for c in TEXT_COLUMNS},
    }
    # first pass: types; second pass: rules that compare typed values
    first = ", ".join(f"{typed[c]} AS {c}" for c in RECORD_COLUMNS)
    raw_cols = ", ".join(f"r.{c} AS raw_{c}" for c in RECORD_COLUMNS if c in _CHECKED)
    problems = [
        _problem("r.raw_well_code IS NULL OR trim(r.raw_well_code) = ''", "well_code", "'missing (part of the key)'"),
        _problem(
            "r.well_code IS NULL AND trim(r.raw_well_code) <> ''",
            "well_code",
            f"'not an integer code of 1 to {MAX_CODE_DIGITS} digits'",
        ),
        _problem(
            "r.field_code IS NULL AND trim(r.raw_field_code) <> ''",
            "field_code",
            f"'not an integer code of 1 to {MAX_CODE_DIGITS} digits'",
        ),
        _problem(
            "r.raw_production_period IS NULL OR trim(r.raw_production_period) = ''",
            "production_period",
            "'missing (part of the key)'",
        ),
        _problem(
            "r.production_period IS NULL AND trim(r.raw_production_period) <> ''",
            "production_period",
            "'not a month (YYYY-MM, YYYY-MM-01 or YYYYMM)'",
        ),
        _problem(
            f"year(r.production_period) NOT BETWEEN {FIRST_YEAR} AND {LAST_YEAR}",
            "production_period",
            f"'year outside {FIRST_YEAR}..{LAST_YEAR}'",
        ),
        _number_problem("days_on_production"),
        _problem(
            "isfinite(r.days_on_production) AND (r.days_on_production < 0 OR "
            "r.days_on_production > day(last_day(r.production_period)))",
            "days_on_production",
            "'outside 0..' || day(last_day(r.production_period)) || ' (days in ' || "
            "strftime(r.production_period, '%Y-%m') || ')'",
        ),
        *(_number_problem(c) for c in RATE_COLUMNS),
    ]
    packed = f"NULLIF(concat_ws({PROBLEM_SEP}, {', '.join(problems)}), '') AS problems"
    keep = ", ".join(f"r.{c}" for c in RECORD_COLUMNS)
    return f"SELECT {keep}, {packed} FROM (SELECT {first}, {raw_cols} FROM (SELECT {raw} FROM {reader_sql}) r) r"


_CHECKED = ("field_code", "well_code", "production_period", "days_on_production", *RATE_COLUMNS)


def _number_problem(column: str) -> str:
    return _problem(
        f"(r.{column} IS NULL AND trim(r.raw_{column}) <> '') OR NOT isfinite(r.{column})",
        column,
        "'not a finite number'",
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
