-- one row per provider aanmelding record (client × aanbieder × aanmelding), from the waiting-time files
select
    w.bestand || '#' || w.regel as aanmelding_id,
    w.client_id,
    w.aanbieder_agb,
    w.locatie,
    w.productcategorie,
    w.product,
    w.gemeente_code,
    w.datum_verwijzing,
    w.datum_aanmelding,
    w.datum_intake,
    w.datum_start_behandeling,
    w.datum_uitschrijving,
    w.reden_uitschrijving,
    datediff('day', w.datum_aanmelding, w.datum_intake) as aanmeldingswachttijd_dagen,
    datediff('day', w.datum_intake, w.datum_start_behandeling) as behandelingswachttijd_dagen,
    w.bestand,
    w.regel
from bron_wachttijden as w
order by aanmelding_id
