"""The PostgreSQL tables of the crawl frontier, job runs, validators and source health.

Kept apart from :mod:`warta.store.pg_frontier` so that :mod:`warta.store.postgres` can list it as a
schema migration without importing the frontier (which imports the article store). The layout
mirrors the SQLite tables of :mod:`warta.store.frontier` and :mod:`warta.store.health`, with:

- ``frontier.updated_at`` a ``timestamptz`` set by the server (``now()``), so claim ages
  (``release_stale``, another job's fetch in flight) are read on one clock, whatever the clocks of
  the machines the workers run on;
- ``crawl_jobs.sites`` in ``jsonb``;
- an index on ``(run_id, outcome)`` for the per-run reads.
"""

from __future__ import annotations

FRONTIER_SCHEMA = """
CREATE TABLE crawl_jobs (
    id          bigserial PRIMARY KEY,
    spec        text NOT NULL UNIQUE,
    mode        text NOT NULL,
    sites       jsonb NOT NULL,
    since       text,
    until       text,
    status      text NOT NULL,
    created_at  text NOT NULL,
    updated_at  text NOT NULL
);
CREATE TABLE crawl_runs (
    id          bigserial PRIMARY KEY,
    job_id      bigint NOT NULL REFERENCES crawl_jobs(id),
    command     text NOT NULL,
    pid         integer,
    started_at  text NOT NULL,
    finished_at text,
    status      text NOT NULL,
    requests    integer NOT NULL DEFAULT 0,
    stored      integer NOT NULL DEFAULT 0
);
CREATE TABLE frontier (
    id          bigserial PRIMARY KEY,
    job_id      bigint NOT NULL,
    url_key     text NOT NULL,
    url         text NOT NULL,
    kind        text NOT NULL,
    prio        integer NOT NULL,
    found_by    text NOT NULL,
    hint        text,
    depth       integer NOT NULL DEFAULT 0,
    state       text NOT NULL,
    outcome     text,
    detail      text,
    capture_id  bigint,
    article_id  bigint,
    run_id      bigint,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (job_id, url_key)
);
CREATE INDEX frontier_queue ON frontier(job_id, state, prio, id);
CREATE INDEX frontier_key ON frontier(url_key, state);
CREATE INDEX frontier_run ON frontier(run_id, outcome);
CREATE TABLE frontier_aliases (
    job_id      bigint NOT NULL,
    url         text NOT NULL,
    url_key     text NOT NULL,
    kind        text NOT NULL DEFAULT 'article',
    run_id      bigint,
    PRIMARY KEY (job_id, url)
);
CREATE TABLE validators (
    job_id        bigint NOT NULL,
    url_key       text NOT NULL,
    etag          text,
    last_modified text,
    PRIMARY KEY (job_id, url_key)
);
CREATE VIEW outcomes AS
    SELECT job_id, run_id, kind, outcome, count(*) AS n FROM frontier
    WHERE outcome IS NOT NULL GROUP BY job_id, run_id, kind, outcome
    UNION ALL
    SELECT job_id, run_id, kind, 'duplicate URL', count(*) FROM frontier_aliases
    GROUP BY job_id, run_id, kind;
CREATE TABLE source_days (
    site        text NOT NULL,
    day         text NOT NULL,
    kind        text NOT NULL,
    outcome     text NOT NULL,
    reason      text NOT NULL DEFAULT '',
    fetched     integer NOT NULL,
    n           integer NOT NULL,
    PRIMARY KEY (site, day, kind, outcome, reason, fetched)
);
CREATE TABLE sources (
    site            text PRIMARY KEY,
    last_fetch_at   text,
    last_ok_at      text,
    last_success_at text,
    last_blocked_at text,
    last_block      text,
    blocked_streak  integer NOT NULL DEFAULT 0,
    script_streak   integer NOT NULL DEFAULT 0,
    robots          text,
    robots_at       text,
    last_run        bigint,
    run_fetches     integer NOT NULL DEFAULT 0,
    run_stored      integer NOT NULL DEFAULT 0,
    run_blocked     integer NOT NULL DEFAULT 0,
    run_script_only integer NOT NULL DEFAULT 0
);
"""

# every table above, for tests and tools that empty a database
FRONTIER_TABLES = ("crawl_jobs", "crawl_runs", "frontier", "frontier_aliases", "validators", "source_days", "sources")
