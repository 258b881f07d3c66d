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
# One worker per run: with two threads, CPython 3.11's parser races on its
# recursion counter inside hypothesis ("AST constructor recursion depth
# mismatch", fixed only in 3.12+) and the tool crashes. And one role at a
# time: with two side by side on a busy machine, a login arriving while the
# other run's hash is in progress is refused with 503 by design (see
# `Hasher` in backend/src/auth/password.rs), which schemathesis counts as a
# server error. Requests one after another are always taken.
fuzz() { # log file, extra st arguments...
    local log=$1
    shift
    "$st" run "$base/api/openapi.json" --url "$base" "$@" \
        --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
        --phases examples,coverage,fuzzing --max-examples 15 --max-time "$seconds" --workers 1 --seed 26 \
        --exclude-path /api/auth/logout --exclude-path /api/me --exclude-path /api/auth/refresh \
        --warnings off >"$log" 2>&1
}
run() { # label, token: fuzzes as that token; its report goes to $tmp/<label>.out
    local label=$1 log="$tmp/$1.log" out="$tmp/$1.out"
    local auth=(-H "Authorization: Bearer $2")
    echo "--- $label" >"$out"
    if fuzz "$log" "${auth[@]}"; then
        grep -E "generated|passed" "$log" | tail -1 >>"$out"
        return 0
    fi
    # A crash inside the tool itself is not a finding about the API: run
    # that role once more.
    if ! grep -q "^Failures:" "$log" && grep -qE "internal error|Runtime Error" "$log"; then
        echo "    (schemathesis itself crashed; running again)" >>"$out"
        if fuzz "$log" "${auth[@]}"; then
            grep -E "generated|passed" "$log" | tail -1 >>"$out"
            return 0
        fi
    fi
    tail -80 "$log" >>"$out"
    return 1
}
pair() { # label, token[, label, token]: side by side, reports in this order
    local first second=""
    run "$1" "$2" &
    first=$!
    if [ $# -gt 2 ]; then
        run "$3" "$4" &
        second=$!
    fi
    wait "$first" || failed=1
    [ -z "$second" ] || wait "$second" || failed=1
    cat "$tmp/$1.out"
    [ -z "$second" ] || cat "$tmp/$3.out"
}
participant=$(token_for participant@st.test participant)
partner=$(token_for partner@st.test partner)
coordinator=$(token_for coordinator@st.test coordinator)
# Without a valid token every protected operation must answer a documented 401.
pair "no valid token" not-a-token
pair participant "$participant"
pair partner "$partner"
pair coordinator "$coordinator"
# The admin last: it may change or erase the other roles' accounts.
pair admin "$admin"
if grep -q "panicked" "$tmp/server.log"; then
    echo "the server panicked:" >&2; grep -B2 -A5 panicked "$tmp/server.log" >&2; failed=1
fi
exit $failed
