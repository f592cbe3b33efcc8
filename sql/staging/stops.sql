-- one row per valid stop (logical key: the start key + reden_beeindiging, iJw 3.2)
-- Rules: lines rejected by a JW308 are not sent; a StatusAanlevering 3 line deletes every stop with the
-- same logical key whose dagtekening is not later than the deletion's; of several stops with the same key
-- the latest dagtekening wins (a corrected einddatum). A temporary stop (20) and a later definitive stop
-- of the same start are both kept (different keys).
with
-- read by name through ijw_niet_verwijderd('geldig') below
geldig as (  -- noqa: ST03
    select
        s.*,
        struct_pack(
            gemeente_code := s.gemeente_code,
            aanbieder_agb := s.aanbieder_agb,
            client_id := s.client_id,
            toewijzingnummer := s.toewijzingnummer,
            productcategorie := s.productcategorie,
            productcode := s.productcode,
            begindatum := s.begindatum,
            reden_beeindiging := s.reden_beeindiging
        ) as sleutel
    from ijw_retourstatus('bron_stop') as s
    where not s.is_afgekeurd
)

select
    md5(concat_ws(
        '|', g.gemeente_code, g.aanbieder_agb, g.client_id, coalesce(cast(g.toewijzingnummer as varchar), ''),
        coalesce(g.productcategorie, ''), coalesce(g.productcode, ''), cast(g.begindatum as varchar),
        g.reden_beeindiging
    )) as stop_id,
    md5(concat_ws(
        '|', g.gemeente_code, g.aanbieder_agb, g.client_id, coalesce(cast(g.toewijzingnummer as varchar), ''),
        coalesce(g.productcategorie, ''), coalesce(g.productcode, ''), cast(g.begindatum as varchar)
    )) as start_id,
    g.gemeente_code as gemeente_code,
    g.aanbieder_agb as aanbieder_agb,
    g.client_id as client_id,
    g.toewijzingnummer as toewijzingnummer,
    g.productcategorie as productcategorie,
    g.productcode as productcode,
    g.begindatum as begindatum,
    g.reden_beeindiging as reden_beeindiging,
    g.einddatum as einddatum,
    g.reden_beeindiging = '20' as is_tijdelijk,
    g.dagtekening as dagtekening,
    g.bericht_identificatie as bericht_identificatie
from ijw_niet_verwijderd('geldig') as g
qualify
    row_number() over (
        partition by g.sleutel
        order by g.dagtekening desc, g.bericht_identificatie desc
    ) = 1
order by stop_id
