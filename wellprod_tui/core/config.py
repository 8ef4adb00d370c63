"""Settings and paths: defaults, platformdirs locations, load with tomllib, save with tomli-w."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import platformdirs
import tomli_w

from wellprod_tui.core import units as unit_systems
from wellprod_tui.core import vocabulary
from wellprod_tui.core.settings import (
    DatabaseSettings,
    DeclineSettings,
    ExportSettings,
    ImportSettings,
    LakeSettings,
    Paths,
    UiSettings,
)

APP_NAME = "wellprod"
CONFIG_ENV = "WELLPROD_CONFIG"
DB_ENV = "WELLPROD_DB"


class ConfigError(Exception):
    """A config file that cannot be used; the message names the file, key and reason."""


def user_config_path() -> Path:
    """Where the user's config.toml lives unless overridden."""
    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


def user_profiles_dir() -> Path:
    """Where the user's own mapping profiles (*.toml) live: beside config.toml, in profiles/."""
    return Path(platformdirs.user_config_dir(APP_NAME)) / "profiles"


def user_data_dir() -> Path:
    """The user data directory (database, rejects)."""
    return Path(platformdirs.user_data_dir(APP_NAME))


def user_log_dir() -> Path:
    """The user log directory."""
    return Path(platformdirs.user_log_dir(APP_NAME))


#: The package folder (``wellprod_tui``): the wheel keeps its data files in ``data/`` there.
_PACKAGE_DIR = Path(__file__).resolve().parents[1]


def _shipped(name: str, in_checkout: str) -> Path:
    """A file shipped inside the wheel's ``data/``, or at ``in_checkout`` of a source checkout."""
    packaged = _PACKAGE_DIR / "data" / name
    return packaged if packaged.exists() else _PACKAGE_DIR.parent / in_checkout


def bundled_sample_path() -> Path:
    """The sample API response shipped inside the wheel (or ``external/`` in a source checkout)."""
    return _shipped("mocked_response.json", "external/mocked_response.json")


def example_config_path() -> Path:
    """The commented example config shipped inside the wheel (or at the top of a source checkout)."""
    return _shipped("config.example.toml", "config.example.toml")


def user_state_path() -> Path:
    """The app-owned state file (theme, last folder); never the user's config."""
    return Path(platformdirs.user_state_dir(APP_NAME)) / "state.toml"


@dataclass(frozen=True)
class Config:
    """The effective configuration and the file it came from (None: defaults only)."""

    paths: Paths = field(default_factory=Paths)
    import_: ImportSettings = field(default_factory=ImportSettings)
    export: ExportSettings = field(default_factory=ExportSettings)
    ui: UiSettings = field(default_factory=UiSettings)
    decline: DeclineSettings = field(default_factory=DeclineSettings)
    database: DatabaseSettings = field(default_factory=DatabaseSettings)
    lake: LakeSettings = field(default_factory=LakeSettings)
    #: [keys]: binding id -> key(s), e.g. ("export", "ctrl+x"); the app checks the ids.
    keys: tuple[tuple[str, str], ...] = ()
    source: Path | None = None
    database_override: str = ""

    @property
    def database_path(self) -> Path:
        """The DuckDB file: --db / WELLPROD_DB, then [paths] database, then the user data dir."""
        chosen = self.database_override or self.paths.database
        return _expand(chosen) if chosen else user_data_dir() / "wellprod.duckdb"

    @property
    def duckdb_settings(self) -> dict[str, str | int]:
        """DuckDB settings from [import]: memory_limit and threads, when set."""
        settings: dict[str, str | int] = {}
        if self.import_.memory_limit:
            settings["memory_limit"] = self.import_.memory_limit
        if self.import_.threads:
            settings["threads"] = self.import_.threads
        return settings

    @property
    def export_dir(self) -> Path:
        """Folder for exports."""
        if self.paths.export_dir:
            return _expand(self.paths.export_dir)
        return Path(platformdirs.user_documents_dir()) / "wellprod-exports"

    @property
    def rejects_dir(self) -> Path:
        """Folder for the rejects CSV files of imports."""
        return _expand(self.paths.rejects_dir) if self.paths.rejects_dir else user_data_dir() / "rejects"

    @property
    def lake_catalog_uri(self) -> str:
        """[lake] catalog_uri, or a sqlite file in the data dir."""
        return self.lake.catalog_uri or f"sqlite:///{user_data_dir() / 'lake' / 'catalog.sqlite'}"

    @property
    def lake_warehouse(self) -> str:
        """[lake] warehouse, or lake/ in the data dir."""
        return self.lake.warehouse or (user_data_dir() / "lake").as_uri()

    @property
    def log_dir(self) -> Path:
        """Folder for the rotating log."""
        return _expand(self.paths.log_dir) if self.paths.log_dir else user_log_dir()


#: Keys whose value is one of a few words.
_CHOICES: dict[tuple[str, str], tuple[str, ...]] = {
    ("import", "duplicates"): vocabulary.DUPLICATE_POLICIES,
    ("ui", "units"): unit_systems.NAMES,
    ("lake", "catalog_type"): ("sql", "rest", "glue"),
}

SECTIONS: dict[str, tuple[str, type]] = {
    "paths": ("paths", Paths),
    "import": ("import_", ImportSettings),
    "export": ("export", ExportSettings),
    "ui": ("ui", UiSettings),
    "decline": ("decline", DeclineSettings),
    "database": ("database", DatabaseSettings),
    "lake": ("lake", LakeSettings),
}


#: The longest forecast: beyond it the months of a forecast would take gigabytes (and mean nothing).
MAX_FORECAST_YEARS = 100
#: Number keys with a ceiling (DuckDB would try to start 100,000 threads).
_UPPER_BOUNDS = {"import.threads": 1024, "decline.cap_years": MAX_FORECAST_YEARS}
#: The least memory an import can work in (DuckDB fails its first allocation below a few MB).
MIN_MEMORY_BYTES = 64 * 1024**2
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMGT]i?B|B)\s*$", re.IGNORECASE)
_SIZE_FACTORS = {"b": 1, "kb": 1000, "mb": 1000**2, "gb": 1000**3, "tb": 1000**4,
                 "kib": 1024, "mib": 1024**2, "gib": 1024**3, "tib": 1024**4}


def memory_bytes(text: str) -> int | None:
    """``"1GB"`` → 1,000,000,000 (DuckDB's units: KB = 1000, KiB = 1024); None when it is no size."""
    found = _SIZE.match(text)
    return int(float(found[1]) * _SIZE_FACTORS[found[2].lower()]) if found else None


def _value_problem(name: str, key: str, value: Any) -> str:
    """What is wrong with a value beyond its type (empty: nothing)."""
    if (name, key) == ("import", "memory_limit") and value:
        size = memory_bytes(value)
        if size is None:
            return f"must be a size such as \"1GB\" or \"512MB\", not {value!r}"
        if size < MIN_MEMORY_BYTES:
            return f"must be at least 64MB (an import needs it), not {value!r}"
    return ""


def _expand(value: str) -> Path:
    return Path(os.path.expandvars(value)).expanduser()


def _section_from(path: Path, text: str, name: str, table: Any, cls: type) -> Any:
    if not isinstance(table, dict):
        raise ConfigError(f"{_where(path, text, None, name)}: [{name}] must be a table, not {type(table).__name__}")
    known = {f.name: f for f in fields(cls)}
    table = dict(table)
    for key, value in table.items():
        at = _where(path, text, name, key)
        if key not in known:
            raise ConfigError(f"{at}: unknown key '{name}.{key}' (known: {', '.join(sorted(known))})")
        expected = type(getattr(cls(), key))
        if expected is float and type(value) is int:  # `qel_oil_kbd = 0` means 0.0
            value = table[key] = float(value)
        if type(value) is not expected:
            raise ConfigError(
                f"{at}: '{name}.{key}' must be {_type_name(expected)}, not {_type_name(type(value))} ({value!r})"
            )
        choices = _CHOICES.get((name, key))
        if choices and value not in choices:
            raise ConfigError(f"{at}: '{name}.{key}' must be one of {', '.join(choices)}, not {value!r}")
        if expected in (int, float) and value < 0:
            raise ConfigError(f"{at}: '{name}.{key}' must be 0 or more, not {value}")
        upper = _UPPER_BOUNDS.get(f"{name}.{key}")
        if upper is not None and value > upper:
            raise ConfigError(f"{at}: '{name}.{key}' must be at most {upper}, not {value}")
        problem = _value_problem(name, key, value)
        if problem:
            raise ConfigError(f"{at}: '{name}.{key}' {problem}")
    return cls(**table)


def _where(path: Path, text: str, section: str | None, key: str) -> str:
    """The file and, when a plain ``key =`` line can be found in its section, that line's number."""
    current: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        header = re.match(r"\s*\[\s*([^\]]+?)\s*\]", line)
        if header:
            current = header.group(1).strip("\"'")
        elif current == section and re.match(rf"\s*[\"']?{re.escape(key)}[\"']?\s*=", line):
            return f"{path}, line {number}"
    return str(path)


def _type_name(kind: type) -> str:
    return {str: "a string", bool: "true or false", int: "an integer", float: "a number"}.get(kind, kind.__name__)


def load(config_path: str | Path | None = None, database: str | Path | None = None) -> Config:
    """Load the config: --config, then WELLPROD_CONFIG, then the user config file if it exists."""
    explicit = config_path or os.environ.get(CONFIG_ENV) or None
    path = _expand(str(explicit)) if explicit else user_config_path()
    db_override = str(database or os.environ.get(DB_ENV) or "")
    if not explicit and not path.exists():
        return Config(database_override=db_override)
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: config file not found") from exc
    except IsADirectoryError as exc:
        raise ConfigError(f"{path}: is a directory, not a config file") from exc
    except PermissionError as exc:
        raise ConfigError(f"{path}: cannot be read (permission denied)") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc
    sections: dict[str, Any] = {}
    for name, table in data.items():
        if name == "keys":
            sections["keys"] = _keys_from(path, text, table)
            continue
        if name not in SECTIONS:
            where = _where(path, text, None, name) if not isinstance(table, dict) else path
            raise ConfigError(f"{where}: unknown section [{name}] (known: {', '.join(SECTIONS)})")
        attr, cls = SECTIONS[name]
        sections[attr] = _section_from(path, text, name, table, cls)
    return Config(source=path, database_override=db_override, **sections)


def _keys_from(path: Path, text: str, table: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [keys] must be a table of binding id = \"key\"")
    for key, value in table.items():
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(
                f"{_where(path, text, 'keys', key)}: 'keys.{key}' must be a key name such as \"ctrl+x\", "
                f"not {_type_name(type(value))} ({value!r})"
            )
    return tuple(table.items())


def as_toml_dict(config: Config) -> dict[str, dict[str, Any]]:
    """The config's settings as the nested dict a config.toml holds."""
    settings: dict[str, dict[str, Any]] = {
        name: {f.name: getattr(getattr(config, attr), f.name) for f in fields(cls)}
        for name, (attr, cls) in SECTIONS.items()
    }
    settings["keys"] = dict(config.keys)
    return settings


def write_default(path: Path, force: bool = False) -> Path:
    """Write a config file with every key at its default, commented (the shipped example); refuse to
    overwrite unless ``force``."""
    if path.exists() and not force:
        raise ConfigError(f"{path}: already exists (use --force to overwrite)")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        text = example_config_path().read_text(encoding="utf-8")
    except OSError:  # an installation without the example: the same keys, without the comments
        text = tomli_w.dumps(as_toml_dict(Config()))
    path.write_text(text, encoding="utf-8")
    return path


def load_state() -> dict[str, Any]:
    """The app's own state (theme, last import folder); empty when missing or unreadable."""
    try:
        return tomllib.loads(user_state_path().read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return {}


def save_state(state: dict[str, Any]) -> None:
    """Save the app's state file with tomli-w."""
    path = user_state_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(tomli_w.dumps(state), encoding="utf-8")


def with_database(config: Config, database: str | Path) -> Config:
    """The same config pointing at another database file."""
    return replace(config, database_override=str(database))
