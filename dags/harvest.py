"""Airflow DAGs ``harvest_<slug>``: one per enabled site of the registry (include/sites/).

Parsing reads the YAML registry only; everything else happens when tasks run. A task
process parses this file to run one task of one DAG: it builds only that DAG
(``get_parsing_context``), not the other sites'.
"""

from _common import build_harvest_dag
from airflow.sdk import get_parsing_context

from scrapers.registry import load_sites
from scrapers.schedule import dag_id

_wanted = get_parsing_context().dag_id
for _site in load_sites().values():
    if _site.enabled and _wanted in (None, dag_id(_site)):
        globals()[dag_id(_site)] = build_harvest_dag(_site)
