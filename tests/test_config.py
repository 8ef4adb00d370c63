"""Config: defaults, overrides, the documented example, and errors that name file, line, key and type."""

from __future__ import annotations

import tomllib
from dataclasses import fields, replace
from pathlib import Path

import pytest

from wellprod_tui.core import config

EXAMPLE = Path(__file__).resolve().parent.parent / "config.example.toml"


def test_the_example_documents_every_key_with_its_default() -> None:
    example = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    assert example == config.as_toml_dict(config.Config())
    loaded = config.load(EXAMPLE)
    assert loaded.paths == config.Paths() and loaded.source == EXAMPLE


def test_defaults_use_platform_dirs_and_create_nothing(isolated_user_dirs: Path) -> None:
    cfg = config.load()
    assert cfg.source is None
    assert cfg.database_path == isolated_user_dirs / "data" / "wellprod" / "wellprod.duckdb"
    assert not (isolated_user_dirs / "data").exists()


def test_db_and_config_overrides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[paths]\ndatabase = "~/from-config.duckdb"\nexport_dir = "/tmp/x"\n')
    monkeypatch.setenv("WELLPROD_CONFIG", str(path))
    cfg = config.load()
    assert cfg.database_path == Path.home() / "from-config.duckdb"
    monkeypatch.setenv("WELLPROD_DB", str(tmp_path / "env.duckdb"))
    assert config.load().database_path == tmp_path / "env.duckdb"
    assert config.load(database=tmp_path / "flag.duckdb").database_path == tmp_path / "flag.duckdb"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[paths\n", "line 1"),
        ("[paths]\ndatabse = 'x'\n", "unknown key 'paths.databse'"),
        ("[export]\nneutralise_formulas = 'yes'\n", "'export.neutralise_formulas' must be true or false, not a string"),
        ("[ui]\npage_size = -3\n", "'ui.page_size' must be 0 or more"),
        ("[colours]\n", "unknown section [colours]"),
        ("paths = 3\n", "[paths] must be a table"),
    ],
)
def test_a_bad_config_names_the_file_and_the_problem(text: str, expected: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(config.ConfigError) as error:
        config.load(path)
    assert str(path) in str(error.value) and expected in str(error.value)


def test_a_missing_or_unreadable_config_given_explicitly_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(config.ConfigError, match="not found"):
        config.load(tmp_path / "nope.toml")
    with pytest.raises(config.ConfigError, match="is a directory"):
        config.load(tmp_path)
    binary = tmp_path / "bin.toml"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(config.ConfigError, match="not UTF-8"):
        config.load(binary)


def test_init_writes_defaults_and_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "config.toml"
    config.write_default(path)
    assert config.load(path).export == config.ExportSettings()
    with pytest.raises(config.ConfigError, match="already exists"):
        config.write_default(path)
    config.write_default(path, force=True)
    assert {f.name for f in fields(config.Paths)} == set(tomllib.loads(path.read_text())["paths"])
    written = path.read_text(encoding="utf-8")
    assert "# true: an import with any rejected row imports nothing" in written  # the commented example
    assert config.load(path) == replace(config.Config(), source=path)


def test_state_is_kept_apart_from_the_config(isolated_user_dirs: Path) -> None:
    config.save_state({"theme": "nord", "last_import_dir": "/data"})
    assert config.load_state()["theme"] == "nord"
    assert config.user_state_path().is_relative_to(isolated_user_dirs)
    assert not config.user_config_path().exists()


def test_keys_remap_bindings_and_must_be_key_names(tmp_path: Path) -> None:
    path = tmp_path / "keys.toml"
    path.write_text('[keys]\nexport = "ctrl+x"\nquit = "ctrl+q,f10"\n')
    assert dict(config.load(path).keys) == {"export": "ctrl+x", "quit": "ctrl+q,f10"}
    path.write_text("[keys]\nexport = 5\n")
    with pytest.raises(config.ConfigError, match=r"line 2: 'keys.export' must be a key name"):
        config.load(path)
