#!/usr/bin/env bash
# Builds the web client (trunk, size-optimised WASM) and the backend, both in release mode.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "==> Building the web client (frontend/dist)"
(
    cd frontend
    # Size first for the WASM only; the backend keeps the normal release profile.
    # Reference types off: Debian's wasm-opt (binaryen 108) mangles their tables.
    export CARGO_PROFILE_RELEASE_LTO=true CARGO_PROFILE_RELEASE_OPT_LEVEL=z
    export CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 CARGO_PROFILE_RELEASE_PANIC=abort
    export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-C target-feature=-reference-types,-multivalue"
    export TRUNK_SKIP_VERSION_CHECK=true
    trunk build --release
)

echo "==> Building the backend"
cargo build --release -p backend
