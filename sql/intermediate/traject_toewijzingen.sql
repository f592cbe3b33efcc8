-- one row per toewijzing that belongs to a trajectory (gemeente_code × toewijzingnummer), with its traject_id
-- Merge rule (CBS): toewijzingen of one client × aanbieder × productcategorie form one trajectory while
-- each next ingangsdatum <= the latest einddatum so far + $trajecten_aansluiting_dagen. An open
-- einddatum never ends the island. Excluded: verwijderd toewijzingen (staging), categories in
-- $trajecten_uitgesloten_categorieen (42 vervoer runs alongside other care) and toewijzingen decided
-- after the peildatum (not yet known on that date).
with
basis as (
    select
        t.gemeente_code,
        t.toewijzingnummer,
        t.client_id,
        t.aanbieder_agb,
        t.productcategorie,
        t.productcode,
        t.geboortejaar,
        t.geboortemaand,
        t.referentie_aanbieder,
        t.eerste_toewijzingsdatum,
        t.ingangsdatum,
        t.einddatum,
        coalesce(t.einddatum, date '9000-01-01') as einddatum_open
    from toewijzingen as t
    cross join peildatum as p
    where
        not list_contains(cast($trajecten_uitgesloten_categorieen as varchar []), coalesce(t.productcategorie, ''))
        and t.eerste_toewijzingsdatum <= p.peildatum
),

vorige as (
    select
        b.*,
        max(b.einddatum_open) over (
            partition by b.client_id, b.aanbieder_agb, b.productcategorie
            order by b.ingangsdatum, b.gemeente_code, b.toewijzingnummer
            rows between unbounded preceding and 1 preceding
        ) as vorige_einddatum
    from basis as b
),

eilanden as (
    select
        v.*,
        sum(
            case
                when
                    v.vorige_einddatum is null
                    or v.ingangsdatum > v.vorige_einddatum + cast($trajecten_aansluiting_dagen as integer)
                    then 1
                else 0
            end
        ) over (
            partition by v.client_id, v.aanbieder_agb, v.productcategorie
            order by v.ingangsdatum, v.gemeente_code, v.toewijzingnummer
            rows between unbounded preceding and current row
        ) as eiland_nr
    from vorige as v
)

select
    md5(concat_ws(
        '|',
        e.client_id,
        first_value(e.gemeente_code) over w,
        cast(first_value(e.toewijzingnummer) over w as varchar)
    )) as traject_id,
    e.gemeente_code as gemeente_code,
    e.toewijzingnummer as toewijzingnummer,
    e.client_id as client_id,
    e.aanbieder_agb as aanbieder_agb,
    e.productcategorie as productcategorie,
    e.productcode as productcode,
    e.geboortejaar as geboortejaar,
    e.geboortemaand as geboortemaand,
    e.referentie_aanbieder as referentie_aanbieder,
    e.eerste_toewijzingsdatum as eerste_toewijzingsdatum,
    e.ingangsdatum as ingangsdatum,
    e.einddatum as einddatum,
    row_number() over w as volgnummer_in_traject
from eilanden as e
window w as (
    partition by e.client_id, e.aanbieder_agb, e.productcategorie, e.eiland_nr
    order by e.ingangsdatum, e.gemeente_code, e.toewijzingnummer
    rows between unbounded preceding and unbounded following
)
order by traject_id, volgnummer_in_traject
