#!/usr/bin/env bash
# Builds the web client (trunk, size-optimised WASM) and the backend, both in release mode.
set -euo pipefail
cd "$(dirname "$0")/.."

# The backend builds beside the web clients: the WASM's last steps (one
# codegen unit, whole-program LTO, wasm-opt) keep one core busy and leave the
# other to the backend's crates. Cargo locks a target directory for a whole
# build, so the WASM has its own (target/web).
backend_log=$(mktemp)
backend=""
trap '[ -n "$backend" ] && kill "$backend" 2>/dev/null; rm -f "$backend_log"' EXIT
echo "==> Building the backend (in the background; its output follows the web clients')"
cargo build --release -p backend >"$backend_log" 2>&1 &
backend=$!

echo "==> Building the web clients (frontend/dist)"
(
    cd frontend
    export CARGO_TARGET_DIR="$PWD/../target/web"
    # Size first for the WASM only; the backend keeps the normal release profile.
    export CARGO_PROFILE_RELEASE_LTO=true CARGO_PROFILE_RELEASE_OPT_LEVEL=z
    export CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 CARGO_PROFILE_RELEASE_PANIC=abort
    # wasm-opt from npm (frontend/tools): Debian's binaryen 108 breaks externref tables.
    export PATH="$PWD/tools/node_modules/.bin:$PATH"
    export TRUNK_SKIP_VERSION_CHECK=true
    # Two clients from one crate and one index.html: the staff client (every
    # page, served as staff.html) and the participant client without the staff pages, which
    # keeps what a phone downloads small. The server picks one by address.
    trunk build --release --features staff --dist dist-staff
    trunk build --release
    # Trunk writes each build's page as index.html; the hashed asset names of
    # the two builds differ, so both live in one directory.
    for f in dist-staff/*; do
        case "$f" in
            */index.html) cp "$f" dist/staff.html ;;
            *) [ -e "dist/${f#dist-staff/}" ] || cp "$f" dist/ ;;
        esac
    done
    rm -rf dist-staff
    # Precompressed copies, which the server sends as they are: brotli at its
    # best quality is smaller than on-the-fly compression, and costs no CPU.
    for f in dist/*.wasm dist/*.js dist/*.svg; do
        brotli --quality=11 --force --keep "$f"
        gzip --best --force --keep "$f"
    done
)

echo "==> Building the backend"
status=0
wait "$backend" || status=$?
backend=""
if [ $status -ne 0 ]; then
    cat "$backend_log"
    exit $status
fi
# (Two cargos that start together wait in turn for the package cache: not worth showing.)
grep -v -e "^ *Compiling " -e "Blocking waiting for file lock on package cache" "$backend_log" || true
