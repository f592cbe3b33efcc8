#!/usr/bin/env bash
# One command for the demo: set up, build the database from the sample region Zuidoost-Duinland when it is
# missing or older than the code, and start the dashboard. Prints the URL.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
DB=${KETENMONITOR_DB:-data/ketenmonitor.duckdb}
PORT=${KETENMONITOR_PORT:-8501}
export KETENMONITOR_DB=$DB
if ! .venv/bin/python -m pipelines status --db "$DB" >/dev/null 2>&1; then
  echo "Database bouwen uit sample_data/ (eerste keer) ..."
  .venv/bin/python -m pipelines build --source sample_data --db "$DB"
fi
echo
echo "Ketenmonitor draait op: http://localhost:${PORT}  (alleen op deze machine; KETENMONITOR_ADDRESS=0.0.0.0 opent hem voor het netwerk)"
echo
exec .venv/bin/streamlit run dashboard/app.py --server.port "$PORT" --server.address "${KETENMONITOR_ADDRESS:-127.0.0.1}" --server.headless true
