"""Provider and team files (CSV/XLSX): waiting-time records, published waits, teams, FTE, caseload, factors.

Invariants (see docs/aanbieders-teams.md):
- Every claimed file gets exactly one FileReport; per file records_read == loaded + quarantined.
- A BSN is pseudonymised with `pipelines.pseudonym.pseudonymise` the moment a row is validated; no BSN,
  name or free text reaches the Parquet output or a quarantine reason.
- Output is deterministic: the same source and key give byte-identical table contents.
"""
