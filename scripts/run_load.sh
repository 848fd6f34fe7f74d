#!/usr/bin/env bash
# Starts the service itself and runs scripts/load_test.py against it, on loopback only:
#   scripts/run_load.sh sqlite     one `triage serve` on SQLite in a temporary data folder
#   scripts/run_load.sh postgres   two `triage serve` processes on one PostgreSQL database (made for the
#                                  run on TRIAGE_LOAD_PG, default postgres@127.0.0.1:5432, dropped after),
#                                  the client alternates between them
#   scripts/run_load.sh all        both
# CONCURRENCY (64) and DURATION (60 s) set the load. The forwarding rate limit is switched off for the
# run (TRIAGE_FORWARD_RATE_PER_MINUTE=0): one token forwards far more than a person would, and the run
# measures capacity; the limit itself is tested in tests/service/test_security.py.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
CONCURRENCY=${CONCURRENCY:-64}
DURATION=${DURATION:-60}
PG_ADMIN=${TRIAGE_LOAD_PG:-postgresql+psycopg://postgres@127.0.0.1:5432/postgres}
WORK=$(mktemp -d -t triage-load-XXXXXX)
PIDS=()

cleanup() {
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && wait "$pid" 2>/dev/null || true; done
  PIDS=()
}
trap 'cleanup; rm -rf "$WORK"' EXIT

free_port() { "$BIN/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

wait_ready() {
  for _ in $(seq 1 120); do
    curl -fsS "http://127.0.0.1:$1/readyz" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "server on port $1 did not become ready; log:" >&2; tail -20 "$WORK/serve-$1.log" >&2; return 1
}

make_token() {
  echo 'load-test-password' | "$BIN/triage" users add load@example.nl --org "Load test" --role reporter --password-stdin >/dev/null 2>&1
  "$BIN/triage" tokens create load@example.nl
}

serve() {  # port
  TRIAGE_FORWARD_RATE_PER_MINUTE=0 "$BIN/triage" serve --host 127.0.0.1 --port "$1" >"$WORK/serve-$1.log" 2>&1 &
  PIDS+=($!)
}

run_sqlite() {
  export TRIAGE_DATA_DIR="$WORK/sqlite" TRIAGE_DATABASE_URL=""
  unset TRIAGE_DATABASE_URL
  "$BIN/triage" db upgrade 2>/dev/null
  local token port; token=$(make_token); port=$(free_port)
  serve "$port"; wait_ready "$port"
  echo "== SQLite, 1 server process, $CONCURRENCY forwarders, ${DURATION} s"
  "$BIN/python" scripts/load_test.py --url "http://127.0.0.1:$port" --token "$token" -c "$CONCURRENCY" -d "$DURATION" || STATUS=1
  cleanup
}

run_postgres() {
  local db="triage_load_$RANDOM$RANDOM"
  "$BIN/python" - "$PG_ADMIN" "$db" create <<'PY'
import sys
from sqlalchemy import create_engine, text
url, name, what = sys.argv[1:]
with create_engine(url, isolation_level="AUTOCOMMIT").connect() as c:
    c.execute(text(f'CREATE DATABASE "{name}"' if what == "create" else f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
PY
  export TRIAGE_DATA_DIR="$WORK/pg" TRIAGE_DATABASE_URL="${PG_ADMIN%/*}/$db"
  "$BIN/triage" db upgrade 2>/dev/null
  local token p1 p2; token=$(make_token); p1=$(free_port); p2=$(free_port)
  serve "$p1"; serve "$p2"; wait_ready "$p1"; wait_ready "$p2"
  echo "== PostgreSQL, 2 server processes, $CONCURRENCY forwarders, ${DURATION} s"
  "$BIN/python" scripts/load_test.py --url "http://127.0.0.1:$p1" --url "http://127.0.0.1:$p2" \
    --token "$token" -c "$CONCURRENCY" -d "$DURATION" || STATUS=1
  cleanup
  "$BIN/python" - "$PG_ADMIN" "$db" drop <<'PY'
import sys
from sqlalchemy import create_engine, text
url, name, what = sys.argv[1:]
with create_engine(url, isolation_level="AUTOCOMMIT").connect() as c:
    c.execute(text(f'CREATE DATABASE "{name}"' if what == "create" else f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
PY
  unset TRIAGE_DATABASE_URL
}

STATUS=0
case "${1:-all}" in
  sqlite) run_sqlite ;;
  postgres) run_postgres ;;
  all) run_sqlite; run_postgres ;;
  *) echo "usage: $0 [sqlite|postgres|all]" >&2; exit 2 ;;
esac
exit $STATUS
