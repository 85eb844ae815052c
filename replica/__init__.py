"""Replica news sites for tests and demos: synthetic data, family markup, a real HTTP server.

- data.py: ``dataset(slug, ...) -> ReplicaSite``, the deterministic ground truth.
- render.py / feeds.py: article pages, listings, RSS, sitemaps, robots.txt.
- app.py: routing of one site (clock, removals, edits); faults.py: injectable faults.
- server.py: ``ReplicaServer`` and ``serve()`` (what `provnews replica serve` runs).
"""
