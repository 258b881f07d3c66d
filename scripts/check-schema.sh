#!/usr/bin/env bash
# Checks that backend/src/db/schema.rs is what diesel prints for the migrated
# database, on SQLite and (when TEST_DATABASE_URL is set) on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
schema=backend/src/db/schema.rs
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
backend=${BACKEND_BIN:-target/debug/backend}

# Both backends print the same types under different names; SQLite's are the reference.
normalise() { sed -e 's/Int4/Integer/g' -e 's/Int8/BigInt/g' -e 's/Varchar/Text/g' -e 's/Float8/Double/g'; }

url="sqlite://$tmp/schema.db"
WIJKVEILIG_DATA_DIR="$tmp" DATABASE_URL="$url" "$backend" migrate >/dev/null
diesel print-schema --except-tables '^reports_fts' --database-url "$tmp/schema.db" > "$tmp/sqlite.rs"
if ! diff -u "$schema" "$tmp/sqlite.rs"; then
    echo "schema.rs differs from the SQLite migrations (see diff above)" >&2
    exit 1
fi

if [ -n "${TEST_DATABASE_URL:-}" ]; then
    name="wv_schema_$$"
    . scripts/pg-url.sh
    url=$(pg_url "$TEST_DATABASE_URL" "$name")
    psql "$TEST_DATABASE_URL" -qc "CREATE DATABASE $name" >/dev/null
    trap 'psql "$TEST_DATABASE_URL" -qc "DROP DATABASE IF EXISTS $name" >/dev/null; rm -rf "$tmp"' EXIT
    WIJKVEILIG_DATA_DIR="$tmp" DATABASE_URL="$url" "$backend" migrate >/dev/null
    diesel print-schema --database-url "$url" | normalise > "$tmp/pg.rs"
    if ! diff -u "$schema" "$tmp/pg.rs"; then
        echo "schema.rs differs from the PostgreSQL migrations (see diff above)" >&2
        exit 1
    fi
fi
echo "schema.rs matches the migrations"
