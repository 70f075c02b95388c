"""Settings, layered: defaults < ``warta.toml`` < ``WARTA_*`` environment < CLI flags.

``warta.toml`` (in the current directory, or the path in ``WARTA_CONFIG``) holds a ``[warta]``
table whose keys are the field names below, e.g.::

    [warta]
    db = "news.db"
    delay = 2.0
    api_token = "change-me"

The environment uses upper-case names with a ``WARTA_`` prefix: ``WARTA_DB``, ``WARTA_DELAY``.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from warta import __version__
from warta.errors import ConfigError

DEFAULT_USER_AGENT = f"warta/{__version__} (+https://github.com/warta-news/warta; news archiving crawler)"


@dataclass(frozen=True, slots=True)
class Settings:
    db: str = "warta.db"
    # crawling
    user_agent: str = DEFAULT_USER_AGENT
    delay: float = 1.0  # minimum seconds between two requests to one host
    concurrency: int = 16  # requests in flight across all hosts
    timeout: float = 30.0  # seconds per request
    max_bytes: int = 10_000_000  # body cap, before and after decompression
    max_retries: int = 3
    robots_ttl: float = 3600.0  # seconds a robots.txt stays cached
    deadline: float = 120.0  # wall-clock seconds per request, headers and body together
    allow_private: bool = False  # fetch loopback / private / link-local addresses (tests, intranets)
    recipe_dirs: str = ""  # extra site-recipe directories, separated by os.pathsep
    proxy: str = ""  # HTTP proxy URL every crawl request goes through ("": direct)
    # extraction
    doc_timeout: float = 10.0  # seconds per document in batch mode
    workers: int = 0  # extraction worker processes; 0 = one per CPU
    # web
    host: str = "127.0.0.1"
    port: int = 8000
    api_token: str | None = None  # required by write endpoints; none = writes disabled
    allowed_hosts: str = ""  # extra Host names the server answers (comma-separated; "*" = any)

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)


def _coerce(name: str, raw: Any, target: Any, origin: str | None = None) -> Any:
    kind = type(target) if target is not None else str
    try:
        if kind is str and isinstance(raw, list):  # a TOML list of strings, e.g. allowed_hosts
            return ",".join(str(item) for item in raw)
        if kind is bool:
            return raw if isinstance(raw, bool) else str(raw).lower() in {"1", "true", "yes", "on"}
        return kind(raw)
    except (TypeError, ValueError) as exc:
        where = f" (from {origin})" if origin else ""
        raise ConfigError(f"invalid value for {name}: {raw!r}{where}") from exc


def _unknown(kind: str, names: set[str], known: set[str], path: Path) -> ConfigError:
    """``unknown setting 'dely' in warta.toml (did you mean 'delay'?)``."""
    parts, guessed = [], True
    for name in sorted(names):
        close = difflib.get_close_matches(name, sorted(known), n=1)
        guessed = guessed and bool(close)
        parts.append(f"{name!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
    hint = "" if guessed else f"; known: {', '.join(sorted(known))}"
    return ConfigError(f"unknown {kind}s in {path}: {', '.join(parts)}{hint}", path=str(path))


def _read_table(path: Path, known: set[str]) -> dict[str, Any]:
    """The ``[warta]`` table of a config file; any other table or unknown key is an error."""
    try:
        data = tomllib.loads(path.read_text("utf8"))
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}", path=str(path)) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}", path=str(path)) from exc
    if set(data) - {"warta"}:
        raise _unknown("table", set(data) - {"warta"}, {"warta"}, path)
    table = data.get("warta", {})
    if not isinstance(table, dict):
        raise ConfigError(f"'warta' in {path} must be a table: [warta]", path=str(path))
    if set(table) - known:
        raise _unknown("setting", set(table) - known, known, path)
    return dict(table)


def load_settings(
    overrides: Mapping[str, Any] | None = None,
    *,
    config_path: str | Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Build settings from the layers; ``overrides`` (CLI flags) win, ``None`` values are ignored."""
    env = os.environ if environ is None else environ
    defaults = Settings()
    known = {f.name for f in fields(Settings)}
    values: dict[str, Any] = {}

    origin: dict[str, str] = {}  # where each value came from, for the error message

    path = Path(config_path or env.get("WARTA_CONFIG") or "warta.toml")
    if path.is_file():
        values.update(_read_table(path, known))
        origin.update(dict.fromkeys(values, str(path)))
    elif config_path is not None:
        raise ConfigError(f"config file not found: {path}", path=str(path))

    for name in known:
        raw = env.get(f"WARTA_{name.upper()}")
        if raw is not None:
            values[name] = raw
            origin[name] = f"WARTA_{name.upper()}"
    values.update({k: v for k, v in (overrides or {}).items() if v is not None and k in known})
    coerced = {}
    for key, value in values.items():
        coerced[key] = _coerce(key, value, getattr(defaults, key), origin.get(key))
        _check_range(key, coerced[key], origin.get(key))
    return dataclasses.replace(defaults, **coerced)


# the least value each numeric setting takes (and whether the bound itself is allowed)
MINIMUMS: dict[str, tuple[float, bool]] = {
    "delay": (0, True), "concurrency": (1, True), "timeout": (0, False), "max_bytes": (1, True),
    "max_retries": (0, True), "robots_ttl": (0, True), "deadline": (0, False), "doc_timeout": (0, False),
    "workers": (0, True), "port": (0, True),
}


def _check_range(name: str, value: Any, origin: str | None) -> None:
    """A value from warta.toml or the environment is held to the same bounds as its CLI option."""
    if name not in MINIMUMS or isinstance(value, bool):
        return
    least, inclusive = MINIMUMS[name]
    if value < least or (value == least and not inclusive) or (name == "port" and value > 65535):
        bound = "at most 65535" if name == "port" and value > 65535 else f"{'>=' if inclusive else '>'} {least}"
        where = f" (from {origin})" if origin else ""
        raise ConfigError(f"{name} must be {bound}, got {value!r}{where}")
