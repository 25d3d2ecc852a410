#!/usr/bin/env bash
# Runs the whole suite on SQLite; then, when SCENARIST_TEST_DATABASE_URL names a PostgreSQL server,
# the database suite again on PostgreSQL. Redis tests run when SCENARIST_TEST_REDIS_URL is set.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export PYTHONHASHSEED=0
unset SCENARIST_DATABASE_URL SCENARIST_QUEUE_URL SCENARIST_LLM_BASE_URL SCENARIST_LLM_API_KEY || true

echo "== suite on SQLite =="
$BIN/pytest "$@"

if [ -n "${SCENARIST_TEST_DATABASE_URL:-}" ]; then
  echo "== database suite on PostgreSQL (${SCENARIST_TEST_DATABASE_URL}) =="
  SCENARIST_DATABASE_URL="$SCENARIST_TEST_DATABASE_URL" $BIN/pytest "$@"
else
  echo "(SCENARIST_TEST_DATABASE_URL not set: PostgreSQL pass not run)"
fi
