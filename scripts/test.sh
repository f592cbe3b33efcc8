#!/usr/bin/env bash
# The one check command: set up, then format check, lint, SQL lint and the whole test suite
# (unit, sql, app and browser tests). CI (.ci/run) runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser
export KETENMONITOR_PSEUDONYM_KEY=${KETENMONITOR_PSEUDONYM_KEY:-test-sleutel-niet-voor-productie}

echo "== ruff format --check"; .venv/bin/ruff format --check .
echo "== ruff check";          .venv/bin/ruff check .
echo "== sqlfluff lint sql/";  .venv/bin/sqlfluff lint sql --disable-progress-bar --nocolor
echo "== pytest"
set +e
.venv/bin/python -m pytest "$@"
rc=$?
set -e
if [[ $rc -eq 5 ]]; then
  echo "pytest vond geen tests" >&2
  exit 1
fi
exit $rc
