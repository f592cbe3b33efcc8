-- one row per requested product line (aanbieder_agb, referentie_aanbieder, regel_sleutel) of a JW315/JW317
-- Rules: lines rejected by a JW316/JW318 are not sent (a re-send that is accepted counts, with its own
-- dagtekening); identical re-sends are deduplicated, keeping the first dagtekening (the clock start).
-- verzoek_soort: toewijzing (JW315, VOT) or wijziging (JW317, VOW); verwijzer_type only on JW315.
with
geldig as (
    select v.*
    from ijw_retourstatus('bron_verzoek') as v
    where not v.is_afgekeurd
)

select
    g.aanbieder_agb as aanbieder_agb,
    g.gemeente_code as gemeente_code,
    g.referentie_aanbieder as referentie_aanbieder,
    g.regel_sleutel as regel_sleutel,
    g.verzoek_soort as verzoek_soort,
    g.product_soort as product_soort,
    g.client_id as client_id,
    g.geboortejaar as geboortejaar,
    g.geboortemaand as geboortemaand,
    g.geslacht as geslacht,
    g.toewijzingnummer as toewijzingnummer,
    g.productcategorie as productcategorie,
    g.productcode as productcode,
    g.ingangsdatum as ingangsdatum,
    g.einddatum as einddatum,
    g.volume as volume,
    g.eenheid as eenheid,
    g.frequentie as frequentie,
    g.budget as budget,
    g.verwijzer_type as verwijzer_type,
    g.reden_verzoek as reden_verzoek,
    g.dagtekening as dagtekening,
    g.bericht_identificatie as bericht_identificatie
from geldig as g
qualify
    row_number() over (
        partition by g.aanbieder_agb, g.referentie_aanbieder, g.regel_sleutel
        order by g.dagtekening, g.bericht_identificatie
    ) = 1
order by g.aanbieder_agb, g.referentie_aanbieder, g.regel_sleutel
