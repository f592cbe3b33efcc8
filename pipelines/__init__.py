"""Ketenmonitor pipelines: sample-region generation, ingestion and the DuckDB build.

Layer rule (checked by tests/unit/test_import_hygiene.py): nothing under `pipelines` imports streamlit
or anything from `dashboard`. The dashboard imports this package, never the reverse.
"""

__version__ = "0.1.0"
