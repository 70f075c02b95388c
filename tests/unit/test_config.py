from __future__ import annotations

from pathlib import Path

import pytest

from warta.config import load_settings
from warta.errors import ConfigError


def test_layers_in_order(tmp_path: Path) -> None:
    cfg = tmp_path / "warta.toml"
    cfg.write_text('[warta]\ndb = "file.db"\ndelay = 2.5\nport = 9000\n')
    s = load_settings({"port": 9100, "db": None}, config_path=cfg, environ={"WARTA_DELAY": "3"})
    assert s.db == "file.db"  # toml beats default, None override ignored
    assert s.delay == 3.0  # env beats toml
    assert s.port == 9100  # flag beats all


def test_bad_values_are_clear_errors(tmp_path: Path) -> None:
    cfg = tmp_path / "warta.toml"
    cfg.write_text("[warta]\nnope = 1\n")
    with pytest.raises(ConfigError, match="unknown settings"):
        load_settings(config_path=cfg, environ={})
    with pytest.raises(ConfigError, match="invalid value for delay"):
        load_settings({"delay": "fast"}, environ={})


def test_defaults_without_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    s = load_settings(environ={})
    assert (s.db, s.delay, s.api_token) == ("warta.db", 1.0, None)
    with pytest.raises(ConfigError, match="not found"):
        load_settings(config_path=tmp_path / "missing.toml", environ={})
