#!/usr/bin/env bash
# One-shot setup run by the airflow-init service before any other Airflow service starts:
# migrate the metadata DB, create the pool that keeps DuckDB to one writer, set the admin password if given.
# Every step is idempotent: running it again on an existing deployment changes nothing.
set -euo pipefail

echo "airflow-init: migrating the metadata database"
airflow db migrate

echo "airflow-init: pool duckdb_writer (1 slot)"
airflow pools set duckdb_writer 1 "one DuckDB writer at a time"

# The simple auth manager (Airflow 3's default) has no `users create`: its users come from
# [core] simple_auth_manager_users and their passwords from a JSON file, which the api-server fills with a
# generated password for any user missing from it. Writing the file here lets docker/.env choose it.
if [ -n "${AIRFLOW_ADMIN_PASSWORD:-}" ]; then
    python - <<'PY'
import json
import os
from pathlib import Path

path = Path(os.environ["AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE"])
passwords = json.loads(path.read_text() or "{}") if path.exists() else {}
passwords["admin"] = os.environ["AIRFLOW_ADMIN_PASSWORD"]
tmp = path.with_suffix(".tmp")
tmp.write_text(json.dumps(passwords) + "\n")
tmp.chmod(0o660)  # group 0 shares it whatever AIRFLOW_UID is
tmp.replace(path)
PY
    echo "airflow-init: password of user admin set from AIRFLOW_ADMIN_PASSWORD"
fi

if [ ! -f "${DELIVERY_CONFIG:-}" ]; then
    echo "airflow-init: WARNING: pipeline config ${DELIVERY_CONFIG:-<DELIVERY_CONFIG unset>} does not exist;" \
         "create config/config.yml (see docs/CONTRACTS.md) before unpausing the DAGs" >&2
fi
echo "airflow-init: done"
