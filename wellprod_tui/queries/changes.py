"""The revision trail: what an import changed (old → new, with the difference), read from ``revisions``, the
rows each import replaced. An import's new values are the next revision of the same well and month, or the
stored row when nothing replaced them since."""

from __future__ import annotations

from wellprod_tui.core.domain import KEY_COLUMNS, RECORD_COLUMNS
from wellprod_tui.queries.views import View
from wellprod_tui.storage.connection import Connection, has_table, records, scalar

#: The columns compared, in the record's order; numbers get a difference.
COMPARED = tuple(c for c in RECORD_COLUMNS if c not in KEY_COLUMNS)
NUMBER_COLUMNS = ("days_on_production", "oil_production_kbd", "gas_production_mmcfd", "liquids_production_kbd",
                  "water_production_kbd")
CHANGE_COLUMNS = ("import_id", "replaced_at", "well_code", "production_period", "column_name", "old", "new",
                  "difference")


def _trail(where: str) -> str:
    """Each revision with the values that replaced it (``next_…``; the stored row for the latest one)."""
    nexts = ", ".join(f"lead({c}) OVER w AS next_{c}" for c in COMPARED)
    return f"""SELECT r.*, lead(replaced_by) OVER w AS next_import, {nexts}
        FROM revisions r WHERE {where}
        WINDOW w AS (PARTITION BY well_code, production_period ORDER BY replaced_by)"""


def _one_column(column: str) -> str:
    new = f"CASE WHEN t.next_import IS NULL THEN p.{column} ELSE t.next_{column} END"
    difference = f"round({new} - t.{column}, 10)" if column in NUMBER_COLUMNS else "CAST(NULL AS DOUBLE)"
    return f"""SELECT t.replaced_by AS import_id, t.replaced_at, t.well_code, strftime(t.production_period, '%Y-%m')
            AS production_period, {COMPARED.index(column)} AS column_order, '{column}' AS column_name,
            CAST(t.{column} AS VARCHAR) AS old, CAST({new} AS VARCHAR) AS new, {difference} AS difference
        FROM trail t JOIN production p USING (well_code, production_period)
        WHERE t.{column} IS DISTINCT FROM ({new})"""


def changes_view(import_id: int | None = None, well_code: int | None = None) -> View:
    """What import ``import_id`` changed, or every change of well ``well_code``: one row per changed column."""
    if (import_id is None) == (well_code is None):
        raise ValueError("changes of one import or of one well")
    if import_id is not None:
        where = ("(well_code, production_period) IN "
                 "(SELECT (well_code, production_period) FROM revisions WHERE replaced_by = ?)")
        chosen, name = "import_id = ?", f"changes-import-{import_id}"
        params: tuple[int, ...] = (import_id, import_id)
    else:
        assert well_code is not None
        where, chosen, name = "well_code = ?", "TRUE", f"changes-well-{well_code}"
        params = (well_code,)
    union = " UNION ALL ".join(_one_column(c) for c in COMPARED)
    sql = f"""WITH trail AS ({_trail(where)})
        SELECT {", ".join(CHANGE_COLUMNS)} FROM ({union})
        WHERE {chosen} ORDER BY import_id, well_code, production_period, column_order"""
    return View(name, sql, params, text_columns=("column_name", "old", "new"))


def has_trail(con: Connection) -> bool:
    """Whether the database keeps a revision trail (one made by an older wellprod has none until an import)."""
    return has_table(con, "revisions")


def latest_changing_import(con: Connection) -> int | None:
    """The id of the last import that replaced any stored value (None: no import has)."""
    found = scalar(con, "SELECT max(replaced_by) FROM revisions") if has_trail(con) else None
    return int(found) if found is not None else None


def import_log_entry(con: Connection, import_id: int) -> dict[str, object] | None:
    """One row of the imports log: file, when, status and counts."""
    found = records(
        con,
        "SELECT id, file, status, finished_at, records, inserted, updated, unchanged FROM imports WHERE id = ?",
        [import_id],
    )
    return found[0] if found else None


def trail_size(con: Connection) -> int:
    """How many superseded rows the revision trail keeps."""
    return int(scalar(con, "SELECT count(*) FROM revisions") or 0)
