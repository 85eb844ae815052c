"""The provnews page in the Airflow UI: site health, coverage, alerts and an article browser.

A FastAPI app (``app.create_app``) that ``provnews_ui_plugin`` mounts at ``/provnews`` on
the API server, built on the first request so that the plugin module stays cheap to
import. Pages are server-rendered HTML with every value escaped (article text comes from
the internet) and charts drawn as SVG on the server: no CDN, works offline. It reads the
warehouse through ``ProvnewsHook``, the same connection the harvest tasks use, with the
queries of ``scrapers.store.health``, ``browse`` and ``alerts``.
"""
