"""Merging validated rows into the production table, kept physically ordered by (well_code, period); every row
an import replaces is kept in the revision trail (``revisions``) first."""

from __future__ import annotations

from datetime import datetime

from wellprod_tui.core.domain import RECORD_COLUMNS
from wellprod_tui.importing.tables import CHANGES, TOUCHED_WELLS
from wellprod_tui.storage.connection import Connection, one, scalar, set_production_sorted
from wellprod_tui.storage.schema import production_ddl

KEY = ("well_code", "production_period")
VALUE_COLUMNS = tuple(c for c in RECORD_COLUMNS if c not in KEY)
#: Below this share of the table, changes are written in place; above it the table is rebuilt sorted.
IN_PLACE_SHARE = 0.05
_COLS = ", ".join(RECORD_COLUMNS)
_KEY_JOIN = " AND ".join(f"v.{k} = p.{k}" for k in KEY)
#: Rows compare by a 64-bit hash of their values: the join then carries 4 columns, not 16.
_V_VALUES = ", ".join(f"v.{c}" for c in VALUE_COLUMNS)


def merge_valid_rows(
    con: Connection, valid: str, now: datetime, not_carried: tuple[str, ...] = ()
) -> dict[str, int]:
    """Upsert the rows of relation ``valid`` into production; returns inserted/updated/unchanged. Columns
    ``not_carried`` (the file has none) keep their stored values on update and are empty on insert."""
    existing = scalar(con, "SELECT count(*) FROM production")
    total = scalar(con, f"SELECT count(*) FROM {valid}")
    if existing == 0:
        con.execute(
            f"INSERT INTO production SELECT {_COLS}, ?, ? FROM {valid} ORDER BY well_code, production_period",
            [now, now],
        )
        set_production_sorted(con, True)
        return {"inserted": total, "updated": 0, "unchanged": 0}
    kept = tuple(c for c in VALUE_COLUMNS if c in not_carried)
    compared = tuple(c for c in VALUE_COLUMNS if c not in kept) or ("NULL",)  # a file of keys only changes none
    chosen = ", ".join(
        f"CASE WHEN p.well_code IS NULL THEN v.{c} ELSE p.{c} END AS {c}" if c in kept else f"v.{c}"
        for c in RECORD_COLUMNS
    )
    stored = "".join(f", {c}" for c in kept)
    new_values = ", ".join(c if c == "NULL" else f"v.{c}" for c in compared)
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE {CHANGES} AS
        SELECT {chosen}, p.created_at AS old_created_at, p.well_code IS NULL AS is_new
        FROM {valid} v LEFT JOIN (
            SELECT well_code, production_period, created_at{stored}, hash({", ".join(compared)}) AS values_hash
            FROM production
        ) p ON {_KEY_JOIN}
        WHERE p.well_code IS NULL OR hash({new_values}) <> p.values_hash"""
    )
    inserted, updated = one(
        con,
        f"SELECT count(*) FILTER (WHERE is_new), count(*) FILTER (WHERE NOT is_new) FROM {CHANGES}"
    )
    counts = {"inserted": inserted, "updated": updated, "unchanged": total - inserted - updated}
    if inserted + updated == 0:
        return counts
    if updated:
        counts |= _keep_replaced_rows(con, now)
    if inserted + updated <= IN_PLACE_SHARE * existing:
        _write_in_place(con, now)
        if inserted:  # appended rows sit after the sorted ones until the next rebuild
            set_production_sorted(con, False)
        # the few wells written: their summaries alone are rebuilt (see schema.refresh_derived_rows)
        con.execute(f"CREATE OR REPLACE TEMP TABLE {TOUCHED_WELLS} AS SELECT DISTINCT well_code FROM {CHANGES}")
        counts["wells_touched"] = scalar(con, f"SELECT count(*) FROM {TOUCHED_WELLS}")
    else:
        _rebuild_sorted(con, now)
        set_production_sorted(con, True)
    con.execute(f"DROP TABLE {CHANGES}")
    return counts


def _keep_replaced_rows(con: Connection, now: datetime) -> dict[str, int]:
    """Copy the rows about to be replaced into the revision trail, under the id this import is about to be
    logged with (the write lock is held, so nobody else logs one meanwhile). Returns how many of the new rows
    bring back values that a later import had replaced (``returned``), and the latest such import."""
    import_id = scalar(con, "SELECT coalesce(max(id), 0) + 1 FROM imports")
    returned, replaced_by = one(
        con,
        f"""SELECT count(DISTINCT (v.well_code, v.production_period)), max(r.replaced_by)
        FROM {CHANGES} v JOIN revisions r ON {_KEY_JOIN.replace("p.", "r.")}
        WHERE NOT v.is_new AND hash({_V_VALUES}) = hash({", ".join(f"r.{c}" for c in VALUE_COLUMNS)})""",
    )
    con.execute(
        f"""INSERT INTO revisions SELECT p.*, ?, ? FROM production p
        SEMI JOIN (SELECT well_code, production_period FROM {CHANGES} WHERE NOT is_new) v ON {_KEY_JOIN}""",
        [import_id, now],
    )
    return {"returned": returned, "returned_from": replaced_by or 0}


def returned_note(merged: dict[str, int]) -> str:
    """What an import that brings back replaced values says (empty when it brings back none)."""
    if not merged.get("returned"):
        return ""
    by = merged["returned_from"]
    return (
        f"{merged['returned']:,} month(s) return to values replaced by import {by} (older data?); "
        f"`wellprod changes --import {by}` lists what that import changed"
    )


def _write_in_place(con: Connection, now: datetime) -> None:
    assignments = ", ".join(f"{c} = c.{c}" for c in VALUE_COLUMNS)
    con.execute(
        f"""UPDATE production AS p SET {assignments}, updated_at = ?
        FROM {CHANGES} c WHERE NOT c.is_new AND p.well_code = c.well_code
        AND p.production_period = c.production_period""",
        [now],
    )
    con.execute(
        f"INSERT INTO production SELECT {_COLS}, ?, ? FROM {CHANGES} WHERE is_new "
        "ORDER BY well_code, production_period",
        [now, now],
    )


def _rebuild_sorted(con: Connection, now: datetime) -> None:
    con.execute(production_ddl("production_next"))
    con.execute(
        f"""INSERT INTO production_next
        SELECT * FROM (
            SELECT p.* FROM production p ANTI JOIN {CHANGES} v ON {_KEY_JOIN}
            UNION ALL
            SELECT {_COLS}, coalesce(old_created_at, ?) AS created_at, ? AS updated_at FROM {CHANGES}
        ) ORDER BY well_code, production_period""",
        [now, now],
    )
    con.execute("DROP TABLE production")
    con.execute("ALTER TABLE production_next RENAME TO production")


def keep_month_attributes(con: Connection, attributes_sql: str, valid: str) -> None:
    """Replace the per-month attributes (operator, formation) of the months in ``valid`` with the file's
    (``attributes_sql``, see profile_sql), for the months the import keeps."""
    con.execute(f"""DELETE FROM month_attributes WHERE (well_code, production_period) IN
                    (SELECT (well_code, production_period) FROM {valid})""")
    con.execute(f"""INSERT INTO month_attributes BY NAME
                    SELECT a.* FROM ({attributes_sql}) a SEMI JOIN {valid} v
                    ON v.well_code = a.well_code AND v.production_period = a.production_period""")
