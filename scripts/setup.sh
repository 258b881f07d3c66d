#!/usr/bin/env bash
# Installs what building Wijkveilig needs and is missing; safe to run again.
#   scripts/setup.sh            toolchain for building and running
#   scripts/setup.sh --test     also Chromium, npm packages and diesel_cli for the tests
# A fresh machine (Rust toolchain, node/npm, Debian) needs about 12 minutes, mostly
# `cargo install` of trunk, wasm-bindgen-cli and (for the tests) diesel_cli, which
# run side by side; afterwards this takes seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
WITH_TESTS=0
[ "${1:-}" = "--test" ] && WITH_TESTS=1

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

apt_install() {
    local missing=()
    for pkg in "$@"; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    say "Installing Debian packages: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# libpq links the PostgreSQL driver; brotli precompresses the web client.
packages=(libpq-dev pkg-config brotli)
[ $WITH_TESTS = 1 ] && packages+=(chromium chromium-driver)
apt_install "${packages[@]}"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "Adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
fi

# The cargo installs run side by side: each ends in steps that keep one core
# busy (its own crate, the link), which leaves the other core to the rest.
install_pids=() install_labels=() install_logs=()
# Nothing goes on installing after this script has stopped on an error.
trap 'for p in "${install_pids[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT
cargo_install() { # label, cargo install arguments...
    local label=$1 log
    shift
    log=$(mktemp)
    say "Installing $label (in the background)"
    cargo install "$@" >"$log" 2>&1 &
    install_pids+=($!) install_labels+=("$label") install_logs+=("$log")
}
cargo_installs_done() {
    local i failed=0
    [ ${#install_pids[@]} -eq 0 ] && return 0
    say "Waiting for: ${install_labels[*]}"
    for i in "${!install_pids[@]}"; do
        if ! wait "${install_pids[$i]}"; then
            echo "Installing ${install_labels[$i]} failed:" >&2
            cat "${install_logs[$i]}" >&2
            failed=1
        fi
        rm -f "${install_logs[$i]}"
    done
    install_pids=()
    return $failed
}

# Without its default features trunk has no TLS and no update check: it could
# not download tools anyway (frontend/Trunk.toml), and it builds faster.
if ! trunk --version 2>/dev/null | grep -q "$TRUNK_VERSION"; then
    cargo_install "trunk $TRUNK_VERSION (about 7 minutes, once)" \
        trunk --version "$TRUNK_VERSION" --locked --no-default-features
fi

# The CLI must match the wasm-bindgen crate version pinned in frontend/Cargo.toml.
BINDGEN_VERSION=$(sed -n 's/^wasm-bindgen = "=\(.*\)"/\1/p' frontend/Cargo.toml)
if ! wasm-bindgen --version 2>/dev/null | grep -q "$BINDGEN_VERSION"; then
    # Not --locked: its lock file wants a crate version the registry here lacks.
    cargo_install "wasm-bindgen-cli $BINDGEN_VERSION (about 4 minutes, once)" \
        wasm-bindgen-cli --version "$BINDGEN_VERSION"
fi

if [ $WITH_TESTS = 1 ] && ! diesel --version 2>/dev/null | grep -q "2\."; then
    cargo_install "diesel_cli (schema check, about 2 minutes, once)" \
        diesel_cli --no-default-features --features postgres,sqlite-bundled --locked
fi

# wasm-opt shrinks the WASM bundle by a quarter. Debian's (binaryen 108) breaks the
# externref tables wasm-bindgen emits, so a current binaryen comes from npm.
if [ ! -x frontend/tools/node_modules/.bin/wasm-opt ]; then
    say "Installing wasm-opt (npm binaryen)"
    (cd frontend/tools && npm ci --no-audit --no-fund)
fi

if [ $WITH_TESTS = 1 ]; then
    if [ ! -d e2e/node_modules/@playwright/test ]; then
        say "Installing browser test packages (npm)"
        (cd e2e && npm ci --no-audit --no-fund)
    fi
    # schemathesis (PyPI) fuzzes the API against its OpenAPI document.
    if ! e2e/.venv/bin/st --version 2>/dev/null | grep -q "4.32.5"; then
        say "Installing schemathesis (PyPI)"
        python3 -m venv e2e/.venv
        e2e/.venv/bin/pip install -q schemathesis==4.32.5
    fi
fi

cargo_installs_done
