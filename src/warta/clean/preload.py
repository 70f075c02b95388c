"""Imported by the fork server of :func:`warta.clean.run.clean_documents` with workers, before it
forks any: it loads the cleaner's vocabulary (furniture phrases, stoplists of 100 languages) once,
so every forked worker inherits it instead of loading it again. Importing it elsewhere is harmless."""

from __future__ import annotations

from warta.clean.vocab import vocabulary
from warta.lifeline import guard_fork_server

guard_fork_server()  # the fork server ends with the process that started it (kill -9 included)

vocabulary()
