"""The warehouse layer: every SQL statement the pipeline runs, behind named functions.

- ``sources``: the site registry in ``sources`` and the lookup of a site's row.
- ``frontier``: ``urls``, ``url_variants`` and ``fetches``: what to fetch, what happened.
- ``endpoints``: feeds, sitemaps and listings with their validators and coverage.
- ``pages``: the latest raw body per URL, and which pages still need extracting.
- ``articles``: one row per URL, earlier text kept in ``article_versions``.
- ``clusters``: near-duplicate lookup (MinHash bands) and duplicate clusters.
- ``runs``: one ``crawl_runs`` row per run with the counts of its stages.

Steps receive an ``Engine`` and call these; nothing here imports a step or parses HTML.
"""
