#!/usr/bin/env bash
# Builds the web client (trunk, size-optimised WASM) and the backend, both in release mode.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "==> Building the web client (frontend/dist)"
(
    cd frontend
    # Size first for the WASM only; the backend keeps the normal release profile.
    export CARGO_PROFILE_RELEASE_LTO=true CARGO_PROFILE_RELEASE_OPT_LEVEL=z
    export CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 CARGO_PROFILE_RELEASE_PANIC=abort
    # wasm-opt from npm (frontend/tools): Debian's binaryen 108 breaks externref tables.
    export PATH="$PWD/tools/node_modules/.bin:$PATH"
    export TRUNK_SKIP_VERSION_CHECK=true
    trunk build --release
)

echo "==> Building the backend"
cargo build --release -p backend
