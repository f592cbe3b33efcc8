#!/usr/bin/env bash
# The one check command: set up, then format check, lint, SQL lint, type check and the whole test suite
# (unit, sql, app and browser tests), then the iJw and build tests with the compiled iJw reader switched
# off. CI (.ci/run) runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser
export KETENMONITOR_PSEUDONYM_KEY=${KETENMONITOR_PSEUDONYM_KEY:-test-sleutel-niet-voor-productie}

echo "== ruff format --check"; .venv/bin/ruff format --check .
echo "== ruff check";          .venv/bin/ruff check .
echo "== sqlfluff lint sql/";  .venv/bin/sqlfluff lint sql --disable-progress-bar --nocolor
echo "== mypy";                .venv/bin/mypy  # pipelines/ and dashboard/ ([tool.mypy] in pyproject.toml)
echo "== pytest"
set +e
.venv/bin/python -m pytest "$@"
rc=$?
set -e
if [[ $rc -eq 5 ]]; then
  echo "pytest vond geen tests" >&2
  exit 1
fi
[[ $rc -eq 0 && $# -eq 0 ]] || exit $rc  # with arguments: only the tests asked for

# The iJw and build tests once more with the compiled iJw reader switched off: the pure-Python fallback
# of a checkout where it was never compiled (pipelines/ijw/walk.py). Not the bulk reader's tests (it needs
# the compiled module) nor test_fallback.py (it hides the module itself), nor the slow kill test.
echo "== pytest, zonder de gecompileerde iJw-lezer (KETENMONITOR_IJW_COMPILED=0)"
KETENMONITOR_IJW_COMPILED=0 .venv/bin/python -m pytest -q -p no:cacheprovider -m "not slow" \
  tests/unit/ijw tests/unit/test_build_atomic.py tests/unit/test_build_contract.py tests/sql/test_ijw_rules.py \
  --ignore=tests/unit/ijw/test_bulk.py --ignore=tests/unit/ijw/test_fallback.py
