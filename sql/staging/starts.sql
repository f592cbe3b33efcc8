-- one row per valid start (logical key: gemeente, aanbieder, client, toewijzingnummer, product, begindatum)
-- Rules: lines rejected by a JW306 are not sent; a StatusAanlevering 3 line deletes every start with the
-- same logical key whose dagtekening is not later than the deletion's (TR063); identical re-sends are
-- deduplicated (the first dagtekening is kept). A restart after a temporary stop is a start of its own.
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
            begindatum := s.begindatum
        ) as sleutel
    from ijw_retourstatus('bron_start') as s
    where not s.is_afgekeurd
)

select
    md5(concat_ws(
        '|', g.gemeente_code, g.aanbieder_agb, g.client_id, coalesce(cast(g.toewijzingnummer as varchar), ''),
        coalesce(g.productcategorie, ''), coalesce(g.productcode, ''), cast(g.begindatum as varchar)
    )) as start_id,
    g.gemeente_code as gemeente_code,
    g.aanbieder_agb as aanbieder_agb,
    g.client_id as client_id,
    g.geboortejaar as geboortejaar,
    g.geboortemaand as geboortemaand,
    g.geslacht as geslacht,
    g.toewijzingnummer as toewijzingnummer,
    g.productcategorie as productcategorie,
    g.productcode as productcode,
    g.begindatum as begindatum,
    g.dagtekening as dagtekening,
    g.bericht_identificatie as bericht_identificatie
from ijw_niet_verwijderd('geldig') as g
qualify
    row_number() over (
        partition by g.sleutel
        order by g.dagtekening, g.bericht_identificatie
    ) = 1
order by start_id
