"""Replica news sites for tests and demos: synthetic data, family markup, a real HTTP server.

- data.py: ``dataset(slug, ...) -> ReplicaSite``, the deterministic ground truth.
- render.py / feeds.py: article pages, listings, RSS, sitemaps, robots.txt.
- app.py: routing of one site (clock, removals, edits); faults.py: injectable faults.
- families/: the newer CMS families (WordPress, legacy cp1258, JSON-LD), each with its own
  routing, markup and way of announcing endpoints; ``announced_endpoints(slug)`` says what a
  site really serves, ``MINIMAL_SITE_YAML`` the shortest site file for each new site.
- server.py: ``ReplicaServer`` and ``serve()`` (what `provnews replica serve` runs).
"""
