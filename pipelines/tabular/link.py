"""Link rate between provider waiting-time records and iJw toewijzingen, for the load report.

Reads the intermediate relation `koppeling_aanbieder_ijw` (sql/intermediate/koppeling_aanbieder_ijw.sql)
after the SQL models ran. Invariants:
- Read-only: runs only `select` statements on the connection it is given.
- Rates are None (not 0) when their denominator is 0, so "nothing to link" is not read as "all failed".
- Denominator of the toewijzing rate: distinct toewijzingen (gemeente_code × toewijzingnummer) of
  aanbieders that delivered waiting-time records, with an ingangsdatum inside that aanbieder's data period
  (its first aanmelding − the link window .. its last aanmelding/intake/start + the window; config [koppeling]). Toewijzingen of
  aanbieders without provider data cannot be linked and are left out.
"""

from __future__ import annotations

import duckdb

RELATION = "koppeling_aanbieder_ijw"


def link_stats(con: duckdb.DuckDBPyConnection) -> dict:
    """Counts and rates of the provider ↔ iJw link (empty dict when the relation does not exist)."""
    exists = con.execute(
        "select count(*) from information_schema.tables where table_name = $name", {"name": RELATION}
    ).fetchone()
    if not exists or not exists[0]:
        return {}
    row = con.execute(
        f"""
        select
            count(*) filter (where bron = 'aanbieder') as aanmeldingen_totaal,
            count(*) filter (where bron = 'aanbieder' and is_gekoppeld) as aanmeldingen_gekoppeld,
            count(distinct (gemeente_code, toewijzingnummer)) filter (
                where is_gekoppeld
                    or (bron = 'ijw' and aanbieder_levert_wachttijden and binnen_aanbiederperiode)
            ) as toewijzingen_totaal,
            count(distinct (gemeente_code, toewijzingnummer)) filter (where is_gekoppeld)
                as toewijzingen_gekoppeld
        from {RELATION}
        """
    ).fetchone()
    assert row is not None
    a_tot, a_gek, t_tot, t_gek = (int(v or 0) for v in row)
    return {
        "aanmeldingen_totaal": a_tot,
        "aanmeldingen_gekoppeld": a_gek,
        "koppelgraad_aanmeldingen": round(a_gek / a_tot, 4) if a_tot else None,
        "toewijzingen_totaal": t_tot,
        "toewijzingen_gekoppeld": t_gek,
        "koppelgraad_toewijzingen": round(t_gek / t_tot, 4) if t_tot else None,
    }
