-- one row per valid start (logical key: gemeente, aanbieder, client, toewijzingnummer, product, begindatum)
-- Rules: lines rejected by a JW306 are not sent; a StatusAanlevering 3 line deletes every start with the
-- same logical key whose dagtekening is not later than the deletion's (TR063); identical re-sends are
-- deduplicated (the first dagtekening is kept). A restart after a temporary stop is a start of its own.
with
geldig as (
    select s.*
    from bron_start as s
    where not exists (
        select 1
        from ijw_afgekeurd as a
        where
            a.berichttype = s.berichttype
            and a.afzender = s.afzender
            and a.bericht_identificatie = s.bericht_identificatie
            and a.dagtekening = s.dagtekening
            and (a.regel_sleutel is null or a.regel_sleutel = s.regel_sleutel)
    )
),

verwijdering as (
    select g.*
    from geldig as g
    where g.status_aanlevering = '3'
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
from geldig as g
where
    g.status_aanlevering = '1'
    and not exists (
        select 1
        from verwijdering as v
        where
            v.gemeente_code = g.gemeente_code
            and v.aanbieder_agb = g.aanbieder_agb
            and v.client_id = g.client_id
            and v.toewijzingnummer is not distinct from g.toewijzingnummer
            and v.productcategorie is not distinct from g.productcategorie
            and v.productcode is not distinct from g.productcode
            and v.begindatum = g.begindatum
            and v.dagtekening >= g.dagtekening
    )
qualify
    row_number() over (
        partition by
            g.gemeente_code, g.aanbieder_agb, g.client_id, g.toewijzingnummer, g.productcategorie,
            g.productcode, g.begindatum
        order by g.dagtekening, g.bericht_identificatie
    ) = 1
order by start_id
