"""A separate process working on a frontier, for the contract tests (run as a script).

``claim DB JOB``: claim batches of 32 and finish each as stored until the job is empty; prints
the claimed entry ids as JSON. ``lock DB JOB``: take the job lock, print ``locked``, sleep until
killed. ``add DB JOB SEED``: add the same 2,000 URLs of five sites as every other such worker (a
quarter decided without fetching), in an order of its own, in batches of 100.
"""

from __future__ import annotations

import json
import random
import sys
import time

from warta.model import Candidate
from warta.store.backends import open_article_store, open_frontier
from warta.store.frontier import Pending


def claim_all(db: str, job_id: int) -> list[int]:
    with open_article_store(db) as store:
        frontier = open_frontier(store)
        run_id = frontier.start_run(job_id, "worker")
        claimed: list[int] = []
        while batch := frontier.claim(job_id, run_id, 32):
            for entry in batch:
                claimed.append(entry.id)
                frontier.finish(entry.id, "stored", job_id=job_id, run_id=run_id)
        return claimed


def add_shuffled(db: str, job_id: int, seed: int) -> int:
    items = []
    for i in range(2000):
        url = f"https://s{i % 5}.example/{i}"
        items.append(Pending(Candidate(url, url, f"s{i % 5}.example", "sitemap", None), "article",
                             outcome="robots-disallowed" if i % 4 == 0 else None))
    random.Random(seed).shuffle(items)
    with open_article_store(db) as store:
        frontier = open_frontier(store)
        run_id = frontier.start_run(job_id, "adder")
        return sum(frontier.add(job_id, items[i:i + 100], run_id) for i in range(0, len(items), 100))


def hold_lock(db: str, job_id: int) -> None:
    with open_article_store(db) as store, open_frontier(store).job_lock(job_id):
        print("locked", flush=True)
        time.sleep(600)


if __name__ == "__main__":
    mode, db, job = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if mode == "claim":
        print(json.dumps(claim_all(db, job)))
    elif mode == "add":
        print(add_shuffled(db, job, int(sys.argv[4])))
    else:
        hold_lock(db, job)
