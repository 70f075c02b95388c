"""Language knowledge as data: one TOML file per language (``id.toml``, ``en.toml``, ...).

``load("id")`` returns the parsed table; files are read once per process (cached, read-only use).
"""

from __future__ import annotations

import functools
import tomllib
from importlib import resources
from typing import Any

from warta.errors import ConfigError


@functools.cache
def load(name: str) -> dict[str, Any]:
    """The data file ``warta/lang/<name>.toml`` as a dict (do not mutate it)."""
    try:
        text = resources.files("warta.lang").joinpath(f"{name}.toml").read_text("utf8")
    except FileNotFoundError as exc:
        raise ConfigError(f"no language data named {name!r}", field=name) from exc
    return tomllib.loads(text)


def available() -> tuple[str, ...]:
    """Language codes with a data file (two-letter names; ``furniture.toml`` and the like are not languages)."""
    names = (p.name[:-5] for p in resources.files("warta.lang").iterdir() if p.name.endswith(".toml"))
    return tuple(sorted(n for n in names if len(n) == 2))


def stoplist_code(name: str) -> str | None:
    """The ISO 639 code of a jusText stoplist name (``Indonesian`` -> ``id``; ``stoplists.toml``)."""
    code = load("stoplists")["codes"].get(name)
    return code if isinstance(code, str) else None
