-- one row: unique children waiting anywhere in the chain on the reference date (end of the period, at
-- most the peildatum), over every niveau except totaal (which spans the others)
-- params: p_tot, p_gemeente, p_aanbieder, p_categorie
with
ref as (
    select least(last_day(p_tot), p.peildatum) as datum
    from peildatum as p
)

select
    count(distinct wt.client_id) as n_kinderen_wachtend,
    count(*) as n_wachtregistraties
from wachttijden as wt
cross join ref as r
where
    wt.niveau <> 'totaal'
    and wt.begindatum <= r.datum
    and (wt.einddatum is null or wt.einddatum > r.datum)
    and (wt.afbreekdatum is null or wt.afbreekdatum > r.datum)
    and (p_gemeente is null or wt.gemeente_code = p_gemeente)
    and (p_aanbieder is null or wt.aanbieder_agb = p_aanbieder)
    and (p_categorie is null or wt.productcategorie = p_categorie)
