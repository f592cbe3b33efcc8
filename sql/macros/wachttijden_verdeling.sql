-- one row per soort (afgerond, wachtend) × class of wachttijd_klassen of the niveau: the spread of completed
-- waits in the period and of the ages of the waits still running on the reference date; `volgorde` orders the
-- classes, `klasse` is its label ("2–4 wk" = more than 2 up to 4 weeks, last "> 26 wk": the open class holds
-- every longer wait, so none disappears), `binnen_norm` marks the classes within the norm (the norm is a
-- class edge). Every soort × class has a row, also an empty one, so a row's presence says nothing
-- (docs/privacy.md)
-- params: p_niveau, p_van, p_tot, p_gemeente, p_aanbieder, p_categorie
with
w as (
    select *
    from wachttijden_op(p_niveau, p_tot, p_gemeente, p_aanbieder, p_categorie)
),

duur as (
    select
        'afgerond' as soort,
        w.wachtdagen as dagen,
        w.wachttijd_sleutel
    from w
    where w.einddatum between p_van and last_day(p_tot)
    union all
    select
        'wachtend' as soort,
        w.leeftijd_op_ref as dagen,
        w.wachttijd_sleutel
    from w
    where w.is_wachtend_op_ref
),

geteld as (
    select
        d.soort,
        k.volgorde,
        count(*) as aantal,
        sum(d.wachttijd_sleutel) as aantal_ck
    from duur as d
    inner join wachttijd_klassen as k
        on
            k.niveau = p_niveau
            and (d.dagen > k.van_dagen or k.volgorde = 1)
            and (k.tot_dagen is null or d.dagen <= k.tot_dagen)
    group by d.soort, k.volgorde
)

select
    s.soort,
    k.volgorde,
    k.week,
    k.klasse,
    k.is_open,
    k.binnen_norm,
    coalesce(g.aantal, 0) as aantal,
    coalesce(g.aantal_ck, 0) as aantal_ck
from (select unnest(['afgerond', 'wachtend']) as soort) as s
cross join wachttijd_klassen as k
left join geteld as g on s.soort = g.soort and k.volgorde = g.volgorde
where k.niveau = p_niveau
order by s.soort, k.volgorde
