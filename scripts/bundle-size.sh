#!/usr/bin/env bash
# Prints what a browser downloads of each web client (the page itself, with
# the style sheet inlined, and the precompressed brotli files the server
# sends: WASM, JS) and fails above its budget.
#
# The participant client (index.html: home, sign-up, reports, surveys to answer,
# meetings) is what phones load; issue 9's budget of 400 KB applies to it. The
# staff client (staff.html, every page) is loaded by coordinators, partners and
# admins on the staff pages; it is guarded against growth at 490 KB.
set -euo pipefail
cd "$(dirname "$0")/../frontend/dist"
status=0
measure() { # page budget_kb
    local page=$1 budget=$2 total raw br f
    [ -f "$page" ] || { echo "missing $page: build with scripts/build.sh" >&2; exit 1; }
    echo "$page:"
    # The page with its style sheet, at brotli's best (the server compresses it
    # on the fly, which comes out a few hundred bytes larger).
    raw=$(stat -c %s "$page")
    br=$(brotli -c "$page" | wc -c)
    total=$br
    printf '  %-40s %9d bytes, brotli %8d\n' "$page (with its style sheet)" "$raw" "$br"
    for f in $(grep -o '/[A-Za-z0-9_.-]*\.\(wasm\|js\|css\)' "$page" | sort -u); do
        f=${f#/}
        [ -f "$f.br" ] || { echo "missing $f.br: build with scripts/build.sh" >&2; exit 1; }
        raw=$(stat -c %s "$f")
        br=$(stat -c %s "$f.br")
        total=$((total + br))
        printf '  %-40s %9d bytes, brotli %8d\n' "$f" "$raw" "$br"
    done
    printf '  brotli: %d bytes = %d KB (budget %d KB)\n' "$total" $((total / 1000)) "$budget"
    if [ "$total" -gt $((budget * 1000)) ]; then
        echo "  $page is over its budget" >&2
        status=1
    fi
}
measure index.html "${BUNDLE_BUDGET_KB:-400}"
measure staff.html "${STAFF_BUNDLE_BUDGET_KB:-490}"
exit $status
