-- trajecten: einddatum >= startdatum, startdatum and einddatum not after the peildatum, open = no einddatum
select t.traject_id
from trajecten as t
cross join peildatum as p
where
    t.einddatum < t.startdatum
    or t.startdatum > p.peildatum
    or t.einddatum > p.peildatum
    or t.is_open <> (t.einddatum is null)
    or (t.is_verwijzer_afgeleid and t.verwijzer_type <> '01')
    or t.productcategorie in ('42')
