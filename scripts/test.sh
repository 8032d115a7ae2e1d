#!/usr/bin/env bash
# Set up, then run the checks: ruff and mypy --strict on src/, and the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check src/ tests/ bench/
.venv/bin/mypy src/
.venv/bin/python -m pytest -q "$@"
