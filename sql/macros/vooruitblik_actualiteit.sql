-- one row per waiting list (lijst_id): the freshness of its data and the aanbieder's published wait
-- (mart wachtlijst_actualiteit, docs/definitions.md#actualiteit-en-publicatie)
-- params:
select
    a.lijst_id,
    a.niveau,
    a.aanbieder_agb,
    a.productcategorie,
    a.bron,
    a.laatste_gegevens,
    a.aanbieder_laatste_gegevens,
    a.peildatum,
    a.is_publicerend,
    a.heeft_registratie,
    a.gepubliceerd_weken,
    a.gepubliceerd_maand,
    a.gepubliceerd_peildatum,
    a.is_gepubliceerd_per_categorie,
    a.gepubliceerd_locaties,
    a.gepubliceerd_wachtenden
from wachtlijst_actualiteit as a
order by a.lijst_id
