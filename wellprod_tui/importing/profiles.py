"""Mapping profiles: how a foreign file (a regulator's or an operator's own export) becomes records.

A profile is a TOML file: which columns give which record field, constants, the month from one column or
from year + month, unit conversion (volumes per month or per day → calendar-day rates; Sm³ → bbl or ft³;
Mcf → MMcf; hours on stream → days), codes built from columns (API numbers, sidetrack digits), an optional
filter and daily → monthly aggregation. Built-in profiles ship beside this module (builtin_profiles/); a
user's own go in the config directory (``wellprod profiles`` says where). ``profile_sql`` compiles one to
SQL over DuckDB's CSV reader: the import then validates, merges and reports as for any file.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wellprod_tui.core.domain import RATE_COLUMNS, RECORD_COLUMNS
from wellprod_tui.core.vocabulary import DUPLICATE_POLICIES

BUILTIN_DIR = Path(__file__).with_name("builtin_profiles")
#: Columns one key may list (a field's columns added up, detect, injection): SQL over thousands of
#: columns exceeds DuckDB's expression depth and memory long before any real layout needs them.
MAX_LISTED_COLUMNS = 100
#: The widest {column:0N} a template pads to.
MAX_TEMPLATE_WIDTH = 32
#: A profile is a few kilobytes of TOML; a larger file is not one.
MAX_PROFILE_BYTES = 1024 * 1024
#: Cubic metres in one barrel and in one cubic foot (exact by definition of the inch).
M3_PER_BBL = 0.158987294928
M3_PER_FT3 = 0.028316846592
#: Source units → the record's volume units: kbbl for liquids, MMcf for gas.
LIQUID_UNITS = {
    "bbl": 1e-3,
    "kbbl": 1.0,
    "Sm3": 1e-3 / M3_PER_BBL,
    "kSm3": 1.0 / M3_PER_BBL,
    "MSm3": 1e3 / M3_PER_BBL,
}
GAS_UNITS = {
    "scf": 1e-6,
    "Mcf": 1e-3,
    "MMcf": 1.0,
    "Sm3": 1e-6 / M3_PER_FT3,
    "kSm3": 1e-3 / M3_PER_FT3,
    "MSm3": 1.0 / M3_PER_FT3,
    "GSm3": 1e3 / M3_PER_FT3,
}
DAY_UNITS = {"days": 1.0, "hours": 1.0 / 24.0}
CODE_FIELDS = ("field_code", "well_code")
_NUMBER_FIELDS = ("days_on_production", *RATE_COLUMNS)


class ProfileError(Exception):
    """A profile that cannot be used; the message names the profile file, the key and what is wrong."""


@dataclass(frozen=True)
class FieldSpec:
    """Where one record field comes from: a column (or columns added up), a constant, a template over
    columns (``05{API County:03}``), year + month columns, or the days of the month."""

    columns: tuple[str, ...] = ()
    value: str | None = None
    template: str | None = None
    api: bool = False
    unit: str | None = None
    year: str | None = None
    month: str | None = None
    days_in_month: bool = False

    def source_columns(self) -> tuple[str, ...]:
        """The file's columns this field reads."""
        named = [*self.columns, *(c for c in (self.year, self.month) if c)]
        return tuple(named) + tuple(part for part, _ in template_parts(self.template or "") if part is not None)


@dataclass(frozen=True)
class Profile:
    """A mapping from a foreign layout to records."""

    name: str
    path: Path
    description: str = ""
    source: str = ""
    #: "monthly": one row per well and month; "daily": rows per day, added up into months.
    rows: str = "monthly"
    #: "volumes": volumes over the row's period; "rates": calendar-day average rates (per day).
    values: str = "volumes"
    #: Lines after the header that are not data (a units row).
    skip_rows: int = 0
    #: Header columns that identify the layout (default: every column the profile reads).
    detect: tuple[str, ...] = ()
    #: Keep only rows whose column holds this text.
    where: tuple[tuple[str, str], ...] = ()
    #: Columns of injected volumes: a row with injection and no production is an injector's, set aside.
    injection: tuple[str, ...] = ()
    fields: dict[str, FieldSpec] = field(default_factory=dict)
    builtin: bool = False
    #: What rows repeating a well and month become unless --duplicates says otherwise (a layout that lists a
    #: month once per formation adds them up).
    duplicates: str | None = None
    #: Attributes the file gives per row, kept per month beside the record (``[attributes]`` name = column):
    #: ECMC's operator and formation. Not part of the record; ``month_attributes`` holds them.
    attributes: tuple[tuple[str, str], ...] = ()

    def source_columns(self) -> tuple[str, ...]:
        """Every column of the file the profile reads, in first-use order."""
        seen: dict[str, None] = {}
        for spec in self.fields.values():
            seen.update(dict.fromkeys(spec.source_columns()))
        seen.update(dict.fromkeys(c for c, _ in self.where))
        seen.update(dict.fromkeys(self.injection))
        seen.update(dict.fromkeys(c for _, c in self.attributes))
        return tuple(seen)

    def detect_columns(self) -> tuple[str, ...]:
        """The header columns that identify the layout."""
        return self.detect or self.source_columns()

    def as_json(self) -> dict[str, Any]:
        """What ``wellprod profiles --json`` says of the profile."""
        return {
            "name": self.name,
            "builtin": self.builtin,
            "description": self.description,
            "source": self.source,
            "rows": self.rows,
            "detect": list(self.detect_columns()),
            "columns": list(self.source_columns()),
            "path": str(self.path),
        }

    def matches(self, header: Iterable[str]) -> bool:
        """Whether a file with this header has the layout."""
        names = set(header)
        return all(c in names for c in self.detect_columns())


def template_parts(template: str) -> list[tuple[str | None, str]]:
    """A template as (column, format) and (None, literal) parts: ``05{API County:03}`` →
    [(None, "05"), ("API County", "03")]. ``{{`` and ``}}`` are literal braces."""
    parts: list[tuple[str | None, str]] = []
    literal, i = "", 0
    while i < len(template):
        ch = template[i]
        if template.startswith("{{", i) or template.startswith("}}", i):
            literal, i = literal + ch, i + 2
            continue
        if ch == "{":
            end = template.find("}", i)
            if end < 0:
                raise ValueError(f"unclosed {{ in template {template!r}")
            if literal:
                parts.append((None, literal))
                literal = ""
            name, _, fmt = template[i + 1 : end].partition(":")
            if not name or (fmt and not (fmt.isdigit() and fmt.startswith("0"))):
                raise ValueError(f"{{{template[i + 1:end]}}}: give {{column}} or {{column:0N}} (N digits)")
            if fmt and int(fmt) > MAX_TEMPLATE_WIDTH:
                raise ValueError(f"{{{template[i + 1:end]}}}: pads to {int(fmt):,} digits; at most "
                                 f"{MAX_TEMPLATE_WIDTH} (a code has at most 14)")
            parts.append((name, fmt))
            i = end + 1
            continue
        literal, i = literal + ch, i + 1
    if literal:
        parts.append((None, literal))
    return parts


#: The type each key of a field's table must have, as (Python types, what the message asks for).
_TEXT = ((str,), "text")
_SPEC_TYPES: dict[str, tuple[tuple[type, ...], str]] = {
    "column": _TEXT,
    "columns": ((list,), "a list of column names"),
    "value": ((str, int, float), "text or a number"),
    "template": _TEXT,
    "api": ((bool,), "true or false"),
    "unit": _TEXT,
    "year": _TEXT,
    "month": _TEXT,
    "days_in_month": ((bool,), "true or false"),
}
_HEAD_TYPES: dict[str, tuple[tuple[type, ...], str]] = {
    "name": _TEXT,
    "description": _TEXT,
    "source": _TEXT,
    "rows": _TEXT,
    "values": _TEXT,
    "skip_rows": ((int,), "a whole number of lines, 0 or more"),
    "detect": ((list,), "a list of column names"),
    "injection": ((list,), "a list of column names"),
    "where": ((dict,), "a table of column = \"text\""),
    "duplicates": _TEXT,
}


def _checked(where: str, key: str, raw: dict[str, Any], types: dict[str, tuple[tuple[type, ...], str]]) -> None:
    """Refuse unknown keys and values of the wrong TOML type (a bool is not a number, "no" is not false)."""
    unknown = set(raw) - set(types)
    if unknown:
        raise ProfileError(f"{where}: {key}: unknown key {', '.join(sorted(unknown))} "
                           f"(known: {', '.join(sorted(types))})")
    for name, value in raw.items():
        kinds, expected = types[name]
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            raise ProfileError(f"{where}: {key}.{name} must be {expected}, not {value!r}")


def _names(where: str, key: str, value: list[Any]) -> tuple[str, ...]:
    if not all(isinstance(c, str) and c.strip() for c in value):
        raise ProfileError(f"{where}: {key} must be a list of column names, not {value!r}")
    if len(value) > MAX_LISTED_COLUMNS:
        raise ProfileError(f"{where}: {key} lists {len(value):,} columns; at most {MAX_LISTED_COLUMNS}")
    return tuple(value)


def _spec(where: str, name: str, raw: Any) -> FieldSpec:
    if isinstance(raw, str):
        raw = {"column": raw}
    if not isinstance(raw, dict):
        raise ProfileError(f"{where}: fields.{name} must be a column name or a table, not {raw!r}")
    _checked(where, f"fields.{name}", raw, _SPEC_TYPES)
    columns = _names(where, f"fields.{name}.columns", raw.get("columns", [raw["column"]] if "column" in raw else []))
    value = raw.get("value")
    if value is not None and name in _NUMBER_FIELDS and not isinstance(value, int | float):
        raise ProfileError(f"{where}: fields.{name}.value must be a number, not {value!r}")
    spec = FieldSpec(
        columns=columns,
        value=None if value is None else str(value),
        template=raw.get("template"),
        api=raw.get("api", False),
        unit=raw.get("unit"),
        year=raw.get("year"),
        month=raw.get("month"),
        days_in_month=raw.get("days_in_month", False),
    )
    kinds = sum(bool(k) for k in (spec.columns, spec.value is not None, spec.template, spec.year or spec.month,
                                  spec.days_in_month))
    if kinds != 1:
        raise ProfileError(f"{where}: fields.{name}: give one of column(s), value, template, year + month "
                           "or days_in_month")
    if spec.template is not None:
        try:
            template_parts(spec.template)
        except ValueError as exc:
            raise ProfileError(f"{where}: fields.{name}.template: {exc}") from exc
    _check_units(where, name, spec)
    if (spec.year or spec.month) and not (spec.year and spec.month and name == "production_period"):
        raise ProfileError(f"{where}: fields.{name}: year and month go together, for production_period")
    if spec.days_in_month and name != "days_on_production":
        raise ProfileError(f"{where}: fields.{name}: days_in_month is for days_on_production")
    if len(spec.columns) > 1 and name not in RATE_COLUMNS:
        raise ProfileError(f"{where}: fields.{name}: only rates add up several columns")
    return spec


def _check_units(where: str, name: str, spec: FieldSpec) -> None:
    units = GAS_UNITS if name == "gas_production_mmcfd" else LIQUID_UNITS if name in RATE_COLUMNS else None
    if name == "days_on_production":
        units = DAY_UNITS
    if spec.unit is None:
        if units is not None and units is not DAY_UNITS and spec.columns:
            raise ProfileError(f"{where}: fields.{name}.unit is missing (one of {', '.join(units)})")
        return
    if units is None or spec.unit not in units:
        known = ", ".join(units) if units else "none: only rates and days have units"
        raise ProfileError(f"{where}: fields.{name}.unit = {spec.unit!r} is not known (known: {known})")


def load_profile(path: Path, builtin: bool = False) -> Profile:
    """Read one profile file; ProfileError names the file and the key at fault."""
    try:
        if not path.is_file():  # a FIFO would block the import, a device never end
            raise ProfileError(f"{path}: not a regular file; a profile is a small TOML file")
        if path.stat().st_size > MAX_PROFILE_BYTES:
            raise ProfileError(f"{path}: {path.stat().st_size:,} bytes is too large for a profile")
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError(f"{path}: cannot be read ({exc})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{path}: invalid TOML: {exc}") from exc
    head = data.get("profile", {})
    raw_fields = data.get("fields", {})
    raw_attributes = data.get("attributes", {})
    if not isinstance(head, dict) or not isinstance(raw_fields, dict):
        raise ProfileError(f"{path}: [profile] and [fields] must be tables")
    unknown = set(data) - {"profile", "fields", "attributes"} | set(raw_fields) - set(RECORD_COLUMNS)
    if unknown:
        raise ProfileError(f"{path}: unknown section or field {', '.join(sorted(unknown))} "
                           f"(fields are the record's: {', '.join(RECORD_COLUMNS)})")
    _checked(str(path), "profile", head, _HEAD_TYPES)
    if not isinstance(raw_attributes, dict) or not all(
        isinstance(k, str) and re.fullmatch(r"[A-Za-z_]\w{0,62}", k) and isinstance(v, str) and v.strip()
        for k, v in raw_attributes.items()
    ):
        raise ProfileError(f"{path}: [attributes] is a table of name = \"column\" (a name of letters, digits and _)")
    if len(raw_attributes) > MAX_LISTED_COLUMNS:
        raise ProfileError(f"{path}: [attributes] lists {len(raw_attributes):,}; at most {MAX_LISTED_COLUMNS}")
    fields_ = {name: _spec(str(path), name, raw) for name, raw in raw_fields.items()}
    for needed in ("well_code", "production_period"):
        if needed not in fields_:
            raise ProfileError(f"{path}: fields.{needed} is missing (part of the key)")
    skip_rows = head.get("skip_rows", 0)
    if skip_rows < 0:
        raise ProfileError(f"{path}: profile.skip_rows must be a whole number of lines, 0 or more, not {skip_rows}")
    where = head.get("where", {})
    for column, text in where.items():
        if not isinstance(text, str):
            raise ProfileError(f"{path}: profile.where.{column} must be text, not {text!r}")
    profile = Profile(
        name=head.get("name") or path.stem,
        path=path,
        description=head.get("description", ""),
        source=head.get("source", ""),
        rows=head.get("rows", "monthly"),
        values=head.get("values", "volumes"),
        skip_rows=skip_rows,
        detect=_names(str(path), "profile.detect", head.get("detect", [])),
        injection=_names(str(path), "profile.injection", head.get("injection", [])),
        where=tuple(where.items()),
        fields=fields_,
        builtin=builtin,
        duplicates=head.get("duplicates"),
        attributes=tuple(raw_attributes.items()),
    )
    if profile.duplicates is not None and profile.duplicates not in DUPLICATE_POLICIES:
        raise ProfileError(f"{path}: profile.duplicates must be one of {', '.join(DUPLICATE_POLICIES)}, "
                           f"not {profile.duplicates!r}")
    if profile.rows not in ("monthly", "daily") or profile.values not in ("volumes", "rates"):
        raise ProfileError(f"{path}: profile.rows must be monthly or daily and profile.values volumes or rates")
    if profile.rows == "daily" and fields_["production_period"].year:
        raise ProfileError(f"{path}: daily rows take their day from one column (fields.production_period.column)")
    return profile


def available(user_dir: Path | None) -> list[Profile]:
    """Built-in profiles, then the user's (a user profile replaces a built-in one of the same name)."""
    found: dict[str, Profile] = {}
    for folder, builtin in ((BUILTIN_DIR, True), (user_dir, False)):
        if folder is None or not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            profile = load_profile(path, builtin)
            found[profile.name] = profile
    return list(found.values())


def find(name: str, profiles: Sequence[Profile]) -> Profile:
    """The profile called ``name``; ProfileError lists the known ones."""
    for profile in profiles:
        if profile.name == name:
            return profile
    raise ProfileError(f"no profile called {name!r} (known: {', '.join(p.name for p in profiles) or 'none'}; "
                       "see `wellprod profiles`)")


def detect(header: Sequence[str], profiles: Sequence[Profile]) -> Profile | None:
    """The profile whose identifying columns the header has: the most specific one when the others' columns
    are part of its own; ProfileError listing them when several match otherwise. A profile that reads no
    column of the file (constants only) is used only when asked for by name."""
    matching = [p for p in profiles if p.detect_columns() and p.matches(header)]
    most = [p for p in matching if not any(set(p.detect_columns()) < set(q.detect_columns()) for q in matching)]
    if len(most) > 1:
        names = ", ".join(f"{p.name} ({p.path})" for p in most)
        raise ProfileError(f"the header matches {len(most)} profiles: {names}; choose one with --profile NAME")
    return most[0] if most else None
