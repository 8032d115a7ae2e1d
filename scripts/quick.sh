#!/usr/bin/env bash
# The quick loop while working (no set-up; .venv from scripts/setup.sh): lint, types, and the tests not
# marked slow, stopping at the first failure. Arguments go to pytest: `bash scripts/quick.sh tests/test_layers.py`.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/ruff check src/ tests/ bench/
.venv/bin/ruff format --check src/ tests/ bench/
.venv/bin/mypy src/ tests/ bench/
.venv/bin/python -m pytest -q -x -m "not slow" "$@"
