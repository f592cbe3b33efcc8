-- trajecten: two trajectories of one client x aanbieder x categorie never overlap or touch (else merged)
select a.traject_id
from traject_toewijzingen as a
inner join traject_toewijzingen as b
    on
        a.client_id = b.client_id
        and a.aanbieder_agb = b.aanbieder_agb
        and a.productcategorie is not distinct from b.productcategorie
        and a.traject_id <> b.traject_id
        and a.ingangsdatum <= b.ingangsdatum
        and b.ingangsdatum <= coalesce(a.einddatum, date '9000-01-01') + 1
