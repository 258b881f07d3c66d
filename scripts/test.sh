#!/usr/bin/env bash
# Runs every check and test: formatting, lints, the shared crate on wasm32,
# schema vs migrations, unit and integration tests on SQLite and PostgreSQL,
# the release build and its size, backup and restore, API fuzzing, the
# browser tests and Lighthouse.
# PostgreSQL: TEST_DATABASE_URL, or postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable
# when it answers.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
step() { printf '\n\033[1m==> %s (%ss)\033[0m\n' "$*" "$(( $(date +%s) - start ))"; }

step "Tools"
scripts/setup.sh --test

if [ -z "${TEST_DATABASE_URL:-}" ]; then
    if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
        # Plain TCP on loopback: libpq would otherwise negotiate TLS, and OpenSSL's
        # clean-up at exit can race the pool threads still holding connections
        # (a test binary once crashed with SIGSEGV after all its tests passed).
        export TEST_DATABASE_URL='postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable'
    elif [ "${CI:-}" = "true" ]; then
        echo "PostgreSQL is not reachable on 127.0.0.1:5432; CI needs it" >&2
        exit 1
    else
        echo "warning: PostgreSQL not reachable; skipping the PostgreSQL run" >&2
    fi
fi
PG_URL=${TEST_DATABASE_URL:-}
unset TEST_DATABASE_URL

step "Format"
cargo fmt --all --check

step "Lints"
cargo clippy -p backend -p shared --all-targets -- -D warnings
cargo clippy -p frontend -p shared --target wasm32-unknown-unknown -- -D warnings
cargo clippy -p frontend --features staff --target wasm32-unknown-unknown -- -D warnings

step "shared compiles for the browser"
cargo check -p shared --target wasm32-unknown-unknown

step "Tests on SQLite"
cargo test -p shared -p backend

step "schema.rs matches the migrations"
TEST_DATABASE_URL="$PG_URL" scripts/check-schema.sh

if [ -n "$PG_URL" ]; then
    step "Tests on PostgreSQL"
    # The same packages as on SQLite: `-p backend` alone unifies features
    # differently and rebuilds some 20 crates (about 3 minutes).
    TEST_DATABASE_URL="$PG_URL" cargo test -p shared -p backend
fi

step "Release build"
scripts/build.sh

step "Web client size (brotli)"
scripts/bundle-size.sh

if [ -n "$PG_URL" ]; then
    step "Backup and restore (PostgreSQL and SQLite)"
    TEST_DATABASE_URL="$PG_URL" scripts/backup-restore.sh
fi

step "API fuzzing (schemathesis, each role)"
scripts/schemathesis.sh

step "Browser tests"
(cd e2e && npx playwright test)

step "Lighthouse (mobile): home, sign-up, file a report"
scripts/lighthouse.sh

step "All tests passed"
