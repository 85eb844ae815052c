"""Airflow's ``[core] hostname_callable`` for several Celery workers on one machine.

``task_instance.hostname`` comes from this callable, not from the Celery worker name, so two
workers on one host would look the same; each worker sets PROVNEWS_HOSTNAME instead.
Without it (one worker per container, as in docker-compose.yml) the machine's name is used,
which is also where the API server fetches the task's logs from.

    AIRFLOW__CORE__HOSTNAME_CALLABLE=scripts.hostname.hostname   # with the repo on PYTHONPATH
"""

from __future__ import annotations

import os
import socket

CALLABLE = "scripts.hostname.hostname"
ENV = "PROVNEWS_HOSTNAME"


def hostname() -> str:
    """PROVNEWS_HOSTNAME when set, else the fully qualified name (Airflow's default)."""
    return os.environ.get(ENV) or socket.getfqdn()
