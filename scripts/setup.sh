#!/usr/bin/env bash
# Installs what building Wijkveilig needs and is missing; safe to run again.
#   scripts/setup.sh            toolchain for building and running
#   scripts/setup.sh --test     also Chromium, npm packages and diesel_cli for the tests
# A fresh machine (Rust toolchain, node/npm, Debian) needs about 12 minutes, mostly
# `cargo install trunk` and `wasm-bindgen-cli`; afterwards this takes seconds.
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

if ! trunk --version 2>/dev/null | grep -q "$TRUNK_VERSION"; then
    say "Installing trunk $TRUNK_VERSION (about 7 minutes, once)"
    cargo install trunk --version "$TRUNK_VERSION" --locked
fi

# The CLI must match the wasm-bindgen crate version pinned in frontend/Cargo.toml.
BINDGEN_VERSION=$(sed -n 's/^wasm-bindgen = "=\(.*\)"/\1/p' frontend/Cargo.toml)
if ! wasm-bindgen --version 2>/dev/null | grep -q "$BINDGEN_VERSION"; then
    say "Installing wasm-bindgen-cli $BINDGEN_VERSION (about 4 minutes, once)"
    # Not --locked: its lock file wants a crate version the registry here lacks.
    cargo install wasm-bindgen-cli --version "$BINDGEN_VERSION"
fi

# wasm-opt shrinks the WASM bundle by a quarter. Debian's (binaryen 108) breaks the
# externref tables wasm-bindgen emits, so a current binaryen comes from npm.
if [ ! -x frontend/tools/node_modules/.bin/wasm-opt ]; then
    say "Installing wasm-opt (npm binaryen)"
    (cd frontend/tools && npm ci --no-audit --no-fund)
fi

if [ $WITH_TESTS = 1 ]; then
    if ! diesel --version 2>/dev/null | grep -q "2\."; then
        say "Installing diesel_cli (schema check, about 2 minutes, once)"
        cargo install diesel_cli --no-default-features --features postgres,sqlite-bundled --locked
    fi
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
