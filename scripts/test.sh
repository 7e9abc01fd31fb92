#!/usr/bin/env bash
# Set up everything the tests need (idempotently) and run the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --dev
bash scripts/postgres.sh || echo "test: no PostgreSQL server; the PostgreSQL store tests will be skipped" >&2
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 OMP_NUM_THREADS=${OMP_NUM_THREADS:-2}
mkdir -p test-artifacts
exec .venv/bin/python -m pytest -q "$@"
