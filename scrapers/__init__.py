"""provnews: harvest Vietnamese provincial news into Postgres (no Airflow imports here)."""

__version__ = "0.1.0"
