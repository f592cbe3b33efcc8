-- one row per aanbieder × locatie × productcategorie × maand as published by the provider
select
    g.aanbieder_agb,
    g.locatie,
    g.productcategorie,
    g.maand,
    cast(g.maand || '-01' as date) as maand_begin,
    g.peildatum,
    g.aanmeldingswachttijd_weken,
    g.behandelingswachttijd_weken,
    g.aantal_wachtenden,
    g.bestand,
    g.regel
from bron_wachttijden_gepubliceerd as g
qualify
    row_number() over (
        partition by g.aanbieder_agb, g.locatie, g.productcategorie, g.maand
        order by g.peildatum desc nulls last, g.bestand desc, g.regel desc
    ) = 1
order by g.aanbieder_agb, g.locatie, g.productcategorie, g.maand
