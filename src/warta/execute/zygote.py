"""Preloaded first by every fork server of :class:`~warta.execute.local.LocalExecutor`: the fork
server ends with the process that started it, even by ``kill -9`` (its workers then end by the
parent-death signal and their own watchdog). Importing it elsewhere does nothing."""

from __future__ import annotations

from warta.lifeline import guard_fork_server

guard_fork_server()
