"""Batch jobs on an executor: WARC files and text-dump corpora to articles, shard by shard.

See :func:`warta.batch.run.run_batch` (library) and ``warta batch`` (command line).
"""
