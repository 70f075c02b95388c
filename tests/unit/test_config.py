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


def test_file_and_environment_values_get_the_cli_bounds_and_name_their_source(tmp_path: Path) -> None:
    """``--delay -1`` is refused by the CLI; the same value from warta.toml or WARTA_* is refused too,
    with the place it came from."""
    cfg = tmp_path / "warta.toml"
    cfg.write_text("[warta]\nconcurrency = 0\n")
    with pytest.raises(ConfigError) as bad_file:
        load_settings(config_path=cfg, environ={})
    assert str(bad_file.value) == f"concurrency must be >= 1, got 0 (from {cfg})"
    for env, says in (({"WARTA_DELAY": "-1"}, "delay must be >= 0, got -1.0 (from WARTA_DELAY)"),
                      ({"WARTA_WORKERS": "-2"}, "workers must be >= 0, got -2 (from WARTA_WORKERS)"),
                      ({"WARTA_TIMEOUT": "0"}, "timeout must be > 0, got 0.0 (from WARTA_TIMEOUT)"),
                      ({"WARTA_PORT": "70000"}, "port must be at most 65535, got 70000 (from WARTA_PORT)"),
                      ({"WARTA_DELAY": "fast"}, "invalid value for delay: 'fast' (from WARTA_DELAY)")):
        with pytest.raises(ConfigError) as bad_env:
            load_settings(environ=env)
        assert str(bad_env.value) == says
    assert load_settings(environ={"WARTA_DELAY": "0", "WARTA_WORKERS": "0"}).delay == 0.0  # the bounds themselves
