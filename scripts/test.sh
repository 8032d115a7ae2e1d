#!/usr/bin/env bash
# Set up, then run the checks: ruff (lint and format) and mypy --strict on src/, tests/ and bench/, and
# the test suite (what .ci/run runs). Arguments go to pytest: `bash scripts/test.sh -m "not slow"`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check src/ tests/ bench/
.venv/bin/ruff format --check src/ tests/ bench/
.venv/bin/mypy src/ tests/ bench/
.venv/bin/python -m pytest -q "$@"
