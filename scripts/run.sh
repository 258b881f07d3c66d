#!/usr/bin/env bash
# From a fresh clone to a running Wijkveilig on embedded SQLite:
# installs missing tools, builds, makes sure an admin exists, and serves.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
scripts/build.sh

export WIJKVEILIG_DATA_DIR="${WIJKVEILIG_DATA_DIR:-./data}"
export WIJKVEILIG_BIND="${WIJKVEILIG_BIND:-127.0.0.1:8080}"
export WIJKVEILIG_STATIC_DIR="${WIJKVEILIG_STATIC_DIR:-./frontend/dist}"
ADMIN_EMAIL="${WIJKVEILIG_ADMIN_EMAIL:-admin@wijkveilig.local}"

# Prints a generated password the first time only.
./target/release/backend create-admin --email "$ADMIN_EMAIL" --generate-password --if-no-admin

echo
echo "Wijkveilig: http://${WIJKVEILIG_BIND}/   (Ctrl-C stops it; data in ${WIJKVEILIG_DATA_DIR})"
echo
exec ./target/release/backend serve
