#!/usr/bin/env bash
# Proves the backup procedure of the README: fills a database with demo data,
# backs it up, restores the backup into a fresh database, and checks that every
# table holds the same rows, that the dashboard figures match the data, and
# that the platform starts on the restored database and serves it.
#   scripts/backup-restore.sh            PostgreSQL (pg_dump / pg_restore) and SQLite (VACUUM INTO)
# PostgreSQL is reached through TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres).
set -euo pipefail
cd "$(dirname "$0")/.."
backend=$(realpath "${BACKEND_BIN:-target/release/backend}")
admin_url=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
# The scratch databases sit beside the given one, with its options.
. scripts/pg-url.sh
tmp=$(mktemp -d)
src="wv_backup_src_$$"
dst="wv_backup_dst_$$"
src_url=$(pg_url "$admin_url" "$src")
dst_url=$(pg_url "$admin_url" "$dst")
server=""
cleanup() {
    [ -n "$server" ] && kill "$server" 2>/dev/null || true
    psql "$admin_url" -qc "DROP DATABASE IF EXISTS $src WITH (FORCE)" >/dev/null 2>&1 || true
    psql "$admin_url" -qc "DROP DATABASE IF EXISTS $dst WITH (FORCE)" >/dev/null 2>&1 || true
    rm -rf "$tmp"
}
trap cleanup EXIT
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
export WIJKVEILIG_DATA_DIR="$tmp" WIJKVEILIG_JWT_SECRET="backup-check-secret-backup-check-secret"

seed() { # url
    DATABASE_URL="$1" "$backend" migrate >/dev/null
    DATABASE_URL="$1" "$backend" seed-demo --participants 300 --reports 3000 --surveys 3 --months 3 \
        >"$tmp/seed.log" 2>&1 || { cat "$tmp/seed.log" >&2; exit 1; }
}

# Counts every table's rows, one "table count" line each.
pg_counts() {
    local url=$1
    for t in $(psql "$url" -Atc "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"); do
        printf '%s %s\n' "$t" "$(psql "$url" -Atc "SELECT count(*) FROM \"$t\"")"
    done
}
sqlite_counts() {
    python3 - "$1" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
for (t,) in c.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1"):
    print(t, c.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0])
PY
}

# Starts the server on a database, waits for /readyz, reads a page of the API.
serve_check() {
    local url=$1 port=$((20000 + RANDOM % 20000))
    DATABASE_URL="$url" WIJKVEILIG_BIND="127.0.0.1:$port" WIJKVEILIG_STATIC_DIR="$tmp" "$backend" serve >"$tmp/server.log" 2>&1 &
    server=$!
    for _ in $(seq 1 100); do
        curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
        sleep 0.1
    done
    curl -fs "http://127.0.0.1:$port/readyz" >/dev/null
    local hoods
    hoods=$(curl -fs "http://127.0.0.1:$port/api/neighbourhoods" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
    [ "$hoods" -gt 0 ]
    kill "$server"; wait "$server" 2>/dev/null || true; server=""
    echo "   served from the restored database on port $port ($hoods neighbourhoods)"
}

say "PostgreSQL: seed, pg_dump, restore into a fresh database"
psql "$admin_url" -qc "CREATE DATABASE $src" >/dev/null
seed "$src_url"
pg_dump --format=custom --no-owner "$src_url" > "$tmp/backup.dump"
psql "$admin_url" -qc "CREATE DATABASE $dst" >/dev/null
pg_restore --no-owner --dbname "$dst_url" "$tmp/backup.dump"
diff <(pg_counts "$src_url") <(pg_counts "$dst_url")
echo "   $(pg_counts "$dst_url" | wc -l) tables, same rows; reports: $(psql "$dst_url" -Atc 'SELECT count(*) FROM reports')"
DATABASE_URL="$dst_url" "$backend" rebuild-metrics --check
serve_check "$dst_url"

say "SQLite: seed, VACUUM INTO a backup file, start on the copy"
seed "sqlite://$tmp/live.db"
python3 -c "import sqlite3,sys; sqlite3.connect(sys.argv[1]).execute(\"VACUUM INTO '\" + sys.argv[2] + \"'\")" "$tmp/live.db" "$tmp/backup.db"
diff <(sqlite_counts "$tmp/live.db") <(sqlite_counts "$tmp/backup.db")
echo "   $(sqlite_counts "$tmp/backup.db" | wc -l) tables, same rows"
DATABASE_URL="sqlite://$tmp/backup.db" "$backend" rebuild-metrics --check
serve_check "sqlite://$tmp/backup.db"
say "Backup and restore work on both databases"
