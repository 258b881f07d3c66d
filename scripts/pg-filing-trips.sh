#!/usr/bin/env bash
# What filing a report costs PostgreSQL itself, without our server: pgbench runs
# the statements of a filing on the general path (8 round trips, as the server
# filed on PostgreSQL before backend/src/db/filing.rs) and the same writes as
# one statement (WITH ... INSERT ... RETURNING, as it files now when the
# reporter's activity stays as it is), with the pool's 10 connections,
# on a scratch database made from migrations/postgres. Prints transactions per
# second and mean latency of each, twice, interleaved.
#   scripts/pg-filing-trips.sh [seconds per run, default 15]
# Needs pgbench (Debian's postgresql package). PostgreSQL is reached through
# TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres).
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-15}
admin_url=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
# The scratch database sits beside the given one, with its options.
. scripts/pg-url.sh
DB=wv_trips_$$
url=$(pg_url "$admin_url" "$DB")
WORK=$(mktemp -d)
trap 'psql "$admin_url" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT

psql "$admin_url" -qc "CREATE DATABASE $DB" >/dev/null
for m in migrations/postgres/*/up.sql; do psql "$url" -q -v ON_ERROR_STOP=1 -f "$m"; done
psql "$url" -q -v ON_ERROR_STOP=1 -c "
  INSERT INTO users (email, password_hash, display_name, role, user_group, neighbourhood_id, created_at, updated_at)
  SELECT 'u' || g || '@example.nl', 'x', 'U', 'participant', 'student', 1 + g % 12, now(), now()
  FROM generate_series(1, 500) g;
  INSERT INTO user_activity (user_id, last_seen_at, last_action_at, firsts)
  SELECT id, now(), now(), 1 FROM users;"

# Shared by both: who files, where, and the two lookups before the write.
HEAD='\set uid random(1, 500)
\set hood random(1, 12)
SELECT id, email, role, user_group, neighbourhood_id, language, active FROM users WHERE id = :uid;
SELECT c.id, c.code, c.kind, c.triage_days, n.active FROM report_categories c, neighbourhoods n WHERE c.id = 1 AND n.id = :hood;'
REPORT="INSERT INTO reports (reporter_id, category_id, kind, neighbourhood_id, description, occurred_at, anonymous_to_partners, contact_ok, status, due_at, created_at, updated_at, reporter_group) VALUES (:uid, 1, 'nuisance', :hood, 'Geluidsoverlast van een feest', now(), false, false, 'submitted', now(), now(), now(), 'student') RETURNING *"
COUNTS="INSERT INTO metric_rollups (metric, day, user_group, neighbourhood_id, dim, n) VALUES ('reports', current_date, 'student', :hood, '', 1), ('reports_cat', date_trunc('month', now()), 'student', :hood, '1', 1), ('status', date_trunc('month', now()), 'student', :hood, 'submitted', 1) ON CONFLICT (metric, day, user_group, neighbourhood_id, dim) DO UPDATE SET n = metric_rollups.n + excluded.n"

cat >"$WORK/eight.sql" <<EOF
$HEAD
BEGIN;
$REPORT;
INSERT INTO report_events (report_id, actor_id, actor_role, event, to_status, created_at) VALUES (currval('reports_id_seq'), :uid, 'reporter', 'created', 'submitted', now()) RETURNING *;
SELECT last_action_at, firsts FROM user_activity WHERE user_id = :uid FOR UPDATE;
$COUNTS;
COMMIT;
EOF
cat >"$WORK/one.sql" <<EOF
$HEAD
WITH r AS ($REPORT), e AS (INSERT INTO report_events (report_id, actor_id, actor_role, event, to_status, created_at) SELECT r.id, :uid, 'reporter', 'created', 'submitted', now() FROM r RETURNING id), c AS ($COUNTS) SELECT r.*, e.id FROM r, e;
EOF

printf '%-44s %10s %12s\n' "filing, 10 connections" "tps" "mean ms"
for run in 1 2; do
    for script in eight one; do
        out=$(pgbench -n -M prepared -c 10 -j 2 -T "$SECONDS_PER_RUN" -f "$WORK/$script.sql" "$url" 2>&1)
        tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' <<<"$out")
        lat=$(sed -n 's/^latency average = \([0-9.]*\) ms/\1/p' <<<"$out")
        case $script in
            eight) label="8 round trips (general path), run $run" ;;
            one) label="lookups + 1 statement (now), run $run" ;;
        esac
        printf '%-44s %10.0f %12.1f\n' "$label" "$tps" "$lat"
    done
done
