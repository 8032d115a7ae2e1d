#!/usr/bin/env bash
# Set up, then run newsgraph on the bundled example: the seed article of ../shared/fixtures/seed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
article=${1:-../shared/fixtures/seed/article.txt}
.venv/bin/newsgraph analyze "$article" --published 2021-12-09 --source "Arab Observer" --summary
.venv/bin/newsgraph analyze "$article" --published 2021-12-09 --source "Arab Observer" --pretty > seed.json
echo "full JSON document written to seed.json"
