-- one row: unique children waiting anywhere in the chain on the reference date (end of the period, at
-- most the peildatum), over every niveau except totaal (which spans the others)
-- params: p_tot, p_gemeente, p_aanbieder, p_categorie
select
    count(distinct w.client_id) as n_kinderen_wachtend,
    count(*) as n_wachtregistraties,
    coalesce(sum(distinct w.kind_sleutel), 0) as n_kinderen_wachtend_ck,
    coalesce(sum(w.wachttijd_sleutel), 0) as n_wachtregistraties_ck
from wachttijden_op(null, p_tot, p_gemeente, p_aanbieder, p_categorie) as w
where w.niveau <> 'totaal' and w.is_wachtend_op_ref
