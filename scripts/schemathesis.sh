#!/usr/bin/env bash
# Fuzzes the API with schemathesis against its own OpenAPI document, once
# anonymous and once logged in as each role (participant, partner,
# coordinator, admin): no answer may be a 5xx, and every answer must match
# the document (status code, content type, body schema).
#   scripts/schemathesis.sh [seconds per role, default 45]
# Needs the release binary (scripts/build.sh) and scripts/setup.sh --test.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-45}
backend=$(realpath "${BACKEND_BIN:-target/release/backend}")
st=$(realpath e2e/.venv/bin/st)
tmp=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
base="http://127.0.0.1:$port"
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT

export WIJKVEILIG_DATA_DIR="$tmp/data" WIJKVEILIG_BIND="127.0.0.1:$port" WIJKVEILIG_STATIC_DIR="$tmp"
export WIJKVEILIG_JWT_SECRET="schemathesis-secret-schemathesis-secret" RUST_LOG=warn
# All requests come from one address: the per-address limits would answer most of them.
export WIJKVEILIG_RATE_LIMIT_FACTOR=100000
echo '<!doctype html><title>st</title>' > "$tmp/index.html"
admin_password="beheer wachtwoord voor schemathesis"
printf '%s\n' "$admin_password" | "$backend" create-admin --email admin@st.test --name Beheer >/dev/null
"$backend" serve >"$tmp/server.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do curl -fs "$base/readyz" >/dev/null 2>&1 && break; sleep 0.1; done

json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
login() { curl -fs -X POST "$base/api/auth/login" -H 'content-type: application/json' \
    -d "{\"email\":\"$1\",\"password\":\"$2\"}" | json "['access_token']"; }
admin=$(login admin@st.test "$admin_password")
password="fietsen langs het diep 2026"
token_for() { # email role
    local id
    id=$(curl -fs -X POST "$base/api/auth/signup" -H 'content-type: application/json' -d "{\"email\":\"$1\",
        \"password\":\"$password\",\"display_name\":\"Fuzz\",\"group\":\"student\",\"neighbourhood_id\":1,
        \"accepted_privacy_version\":\"$(grep -o 'PRIVACY_VERSION: &str = "[^"]*"' shared/src/lib.rs | cut -d'"' -f2)\"}" | json "['user']['id']")
    if [ "$2" != participant ]; then
        curl -fs -X PATCH "$base/api/admin/users/$id" -H "Authorization: Bearer $admin" \
            -H 'content-type: application/json' -d "{\"role\":\"$2\"}" >/dev/null
    fi
    login "$1" "$password"
}

failed=0
# One worker: with two threads, CPython 3.11's parser races on its recursion
# counter inside hypothesis ("AST constructor recursion depth mismatch", fixed
# only in 3.12+) and the tool crashes; the GIL made the second thread worth
# little anyway.
fuzz() {
    "$st" run "$base/api/openapi.json" --url "$base" "$@" \
        --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
        --phases examples,coverage,fuzzing --max-examples 15 --max-time "$seconds" --workers 1 --seed 26 \
        --exclude-path /api/auth/logout --exclude-path /api/me --exclude-path /api/auth/refresh \
        --warnings off >"$tmp/st.log" 2>&1
}
run() { # label, extra st arguments...
    local label=$1; shift
    echo "--- $label"
    if fuzz "$@"; then
        grep -E "generated|passed" "$tmp/st.log" | tail -1
        return
    fi
    # A crash inside the tool itself (seen: a CPython AST error in hypothesis)
    # is not a finding about the API: run that role once more.
    if ! grep -q "^Failures:" "$tmp/st.log" && grep -qE "internal error|Runtime Error" "$tmp/st.log"; then
        echo "    (schemathesis itself crashed; running again)"
        if fuzz "$@"; then
            grep -E "generated|passed" "$tmp/st.log" | tail -1
            return
        fi
    fi
    failed=1
    tail -80 "$tmp/st.log"
}
# Without a valid token every protected operation must answer a documented 401.
run "no valid token" -H "Authorization: Bearer not-a-token"
for role in participant partner coordinator; do
    run "$role" -H "Authorization: Bearer $(token_for "$role@st.test" "$role")"
done
run admin -H "Authorization: Bearer $admin"
if grep -q "panicked" "$tmp/server.log"; then
    echo "the server panicked:" >&2; grep -B2 -A5 panicked "$tmp/server.log" >&2; failed=1
fi
exit $failed
