"""Create or update the one-slot politeness pool of every enabled site (provnews_<slug>).

Run after ``airflow db migrate`` (make run, docker compose's airflow-init) and after
adding a site: tasks in a pool that does not exist are never scheduled.
"""

from __future__ import annotations

from airflow.models.pool import Pool

from scrapers.registry import load_sites
from scrapers.schedule import site_pools


def sync_pools() -> list[str]:
    pools = site_pools(load_sites())
    for name, spec in pools.items():
        Pool.create_or_update_pool(name, spec["slots"], spec["description"],
                                   spec["include_deferred"])
    return sorted(pools)


if __name__ == "__main__":
    print("pools: " + ", ".join(sync_pools()))
