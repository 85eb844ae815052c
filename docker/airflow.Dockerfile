# The Airflow image of docker-compose.yml: the official image plus this project's
# requirements. The code itself (dags/, plugins/, include/, scrapers/, sql/) is mounted.
ARG AIRFLOW_IMAGE=apache/airflow:3.3.2-python3.11
FROM ${AIRFLOW_IMAGE}
COPY requirements.txt /tmp/requirements.txt
RUN pip install --no-cache-dir -r /tmp/requirements.txt
