"""Imported by the fork server of :func:`warta.clean.run.clean_documents` with workers (the
executor's ``preload``), before it forks any: it loads the cleaner's vocabulary (furniture
phrases, stoplists of 100 languages) once, so every forked worker inherits it instead of loading
it again. Importing it elsewhere is harmless."""

from __future__ import annotations

from warta.clean.vocab import vocabulary

vocabulary()
