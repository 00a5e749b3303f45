#!/bin/bash
# InfluxDB 2.x: the system queries with InfluxQL, which 2.x answers through a DBRP mapping.
# Downsampling on 2.x would be a task; the 15-minute rollups of retention.influxql are 1.x only.
set -e
BUCKET_ID=$(influx bucket list --name "${DOCKER_INFLUXDB_INIT_BUCKET}" --hide-headers | cut -f1)
influx v1 dbrp create --bucket-id "${BUCKET_ID}" --db "${DOCKER_INFLUXDB_INIT_BUCKET}" --rp autogen --default
