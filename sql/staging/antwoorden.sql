-- one row per JW319 antwoord message (gemeente_code, bericht_identificatie, dagtekening), not rejected
-- Rules: an antwoord rejected by a JW320 is not sent; the same message loaded twice (XML and CSV, or
-- re-sent under the same identificatie) counts once.
select
    a.gemeente_code as gemeente_code,
    a.aanbieder_agb as aanbieder_agb,
    a.referentie_aanbieder as referentie_aanbieder,
    a.verzoek_antwoord as verzoek_antwoord,
    a.reden_afwijzing as reden_afwijzing,
    a.verzoek_antwoord = '1' as is_afgewezen,
    a.dagtekening as dagtekening,
    a.bericht_identificatie as bericht_identificatie
from ijw_retourstatus('bron_antwoord') as a
where not a.is_afgekeurd
qualify
    row_number() over (
        partition by a.gemeente_code, a.bericht_identificatie, a.dagtekening
        order by a.referentie_aanbieder
    ) = 1
order by a.gemeente_code, a.aanbieder_agb, a.referentie_aanbieder, a.dagtekening
