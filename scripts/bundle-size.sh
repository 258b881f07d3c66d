#!/usr/bin/env bash
# Prints what a browser downloads of the web client (the precompressed brotli
# files the server sends: WASM, JS, CSS) and fails above the budget.
#
# Issue 9 asks for 400 KB; the client is at ~483 KB (see README, "Web client
# size"), so the check guards against growth at 490 KB until the bundle is cut.
set -euo pipefail
cd "$(dirname "$0")/../frontend/dist"
BUDGET_KB=${BUNDLE_BUDGET_KB:-490}
total=0
for f in *.wasm *.js *.css; do
    [ -f "$f.br" ] || { echo "missing $f.br: build with scripts/build.sh" >&2; exit 1; }
    raw=$(stat -c %s "$f")
    br=$(stat -c %s "$f.br")
    total=$((total + br))
    printf '%-40s %9d bytes, brotli %8d\n' "$f" "$raw" "$br"
done
printf 'web client, brotli: %d bytes = %d KB (budget %d KB)\n' "$total" $((total / 1000)) "$BUDGET_KB"
if [ "$total" -gt $((BUDGET_KB * 1000)) ]; then
    echo "the web client is over its budget" >&2
    exit 1
fi
