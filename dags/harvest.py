"""Airflow DAGs ``harvest_<slug>``: one per enabled site of the registry (include/sites/).

Parsing reads the YAML registry only; everything else happens when tasks run.
"""

from _common import build_harvest_dag

from scrapers.registry import load_sites

for _site in load_sites().values():
    if _site.enabled:
        globals()[f"harvest_{_site.slug}"] = build_harvest_dag(_site)
