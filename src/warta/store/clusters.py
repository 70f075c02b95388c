"""Dedupe signatures, clusters and revisions (owned by the dedupe stage)."""

from __future__ import annotations

SCHEMA = ""
