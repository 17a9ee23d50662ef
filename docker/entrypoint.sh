#!/usr/bin/env bash
# Entrypoint of every Delivery Warehouse container: makes sure all Airflow services share one Fernet key and
# one JWT secret, then runs the given command.
#
# Airflow 3 signs task tokens in the scheduler and checks them in the api-server, so both need the same
# [api_auth] jwt_secret; without one each process invents its own and tasks fail with "Invalid auth token".
# Connections in the metadata DB are encrypted with [core] fernet_key, which must never change for a DB.
# A value set in docker/.env wins; an empty or absent one is read from (or, the first time, written to) the
# airflow-secrets volume. Values are never printed.
set -euo pipefail

SECRETS_DIR="${DELIVERY_SECRETS_DIR:-/opt/airflow/secrets}"

shared_secret() {
    # shared_secret VAR FILE GENERATOR: export VAR from FILE, creating FILE with GENERATOR if needed.
    local var="$1" file="$2" generator="$3"
    if [ -n "${!var:-}" ]; then
        return 0
    fi
    if [ ! -s "$file" ]; then
        local tmp
        tmp="$(mktemp "$file.XXXXXX")"
        chmod 0640 "$tmp"
        python -c "$generator" >"$tmp"
        # -n: if another container won the race, keep its value.
        mv -n "$tmp" "$file" && rm -f "$tmp"
    fi
    export "$var"="$(cat "$file")"
}

if [ -d "$SECRETS_DIR" ] && [ -w "$SECRETS_DIR" ]; then
    shared_secret AIRFLOW__CORE__FERNET_KEY "$SECRETS_DIR/fernet_key" \
        'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'
    shared_secret AIRFLOW__API_AUTH__JWT_SECRET "$SECRETS_DIR/jwt_secret" \
        'import secrets; print(secrets.token_urlsafe(64))'
else
    echo "delivery-entrypoint: $SECRETS_DIR is not a writable directory; Fernet key and JWT secret" \
         "must then come from docker/.env" >&2
fi

exec "$@"
