#!/usr/bin/env bash
# Starts the release binary on a fresh data directory with a known admin.
set -euo pipefail
cd "$(dirname "$0")"
root=..
data=./.data
rm -rf "$data"
export WIJKVEILIG_DATA_DIR="$data"
export WIJKVEILIG_BIND="127.0.0.1:${E2E_PORT:-18765}"
export WIJKVEILIG_STATIC_DIR="$root/frontend/dist"
export WIJKVEILIG_PUBLIC_URL="http://127.0.0.1:${E2E_PORT:-18765}"
# Every browser test signs people up from one address: allow more than a real visitor gets.
export WIJKVEILIG_RATE_LIMIT_FACTOR=5
printf '%s\n' "beheer wachtwoord voor e2e" | "$root/target/release/backend" create-admin --email admin@e2e.test --name Beheer
exec "$root/target/release/backend" serve
