-- one row per provider aanmelding (linked or not) plus one row per iJw toewijzing linked to no aanmelding
-- Link rule (docs/aanbieders-teams.md): an aanmelding links to the toewijzing of the same client_id,
-- aanbieder_agb and productcategorie (any categorie when the provider gave none) whose ingangsdatum lies
-- nearest to the provider's span [datum_aanmelding, start behandeling or intake or aanmelding]
-- (distance 0 inside the span) and at most $koppeling_venster_dagen days (config [koppeling], default 180) outside it; ties: earliest ingangsdatum, then
-- gemeente_code, toewijzingnummer. A toewijzing may serve several aanmeldingen.
with
aanmelding as (
    select
        a.aanmelding_id,
        a.client_id,
        a.aanbieder_agb,
        a.productcategorie,
        a.datum_aanmelding,
        a.datum_intake,
        a.datum_start_behandeling,
        coalesce(a.datum_start_behandeling, a.datum_intake, a.datum_aanmelding) as span_eind
    from aanmeldingen as a
),

toewijzing as (
    select distinct
        t.gemeente_code,
        t.toewijzingnummer,
        t.aanbieder_agb,
        t.client_id,
        t.productcategorie,
        t.ingangsdatum
    from toewijzingen as t
    where t.ingangsdatum is not null
),

kandidaat as (
    select
        am.aanmelding_id,
        tw.gemeente_code,
        tw.toewijzingnummer,
        tw.ingangsdatum,
        case
            when tw.ingangsdatum < am.datum_aanmelding then datediff('day', tw.ingangsdatum, am.datum_aanmelding)
            when tw.ingangsdatum > am.span_eind then datediff('day', am.span_eind, tw.ingangsdatum)
            else 0
        end as afstand_dagen
    from aanmelding as am
    inner join toewijzing as tw
        on
            am.client_id = tw.client_id
            and am.aanbieder_agb = tw.aanbieder_agb
            and (am.productcategorie is null or am.productcategorie = tw.productcategorie)
),

gekozen as (
    select
        k.aanmelding_id,
        k.gemeente_code,
        k.toewijzingnummer,
        k.ingangsdatum,
        k.afstand_dagen
    from kandidaat as k
    where k.afstand_dagen <= $koppeling_venster_dagen
    qualify
        row_number() over (
            partition by k.aanmelding_id
            order by k.afstand_dagen, k.ingangsdatum, k.gemeente_code, k.toewijzingnummer
        ) = 1
),

aanbieder_periode as (
    select
        am.aanbieder_agb,
        min(am.datum_aanmelding) - to_days($koppeling_venster_dagen) as periode_begin,
        max(am.span_eind) + to_days($koppeling_venster_dagen) as periode_eind
    from aanmelding as am
    group by am.aanbieder_agb
),

aanbieder_rij as (
    select
        'aanbieder' as bron,
        am.aanmelding_id,
        g.gemeente_code,
        g.toewijzingnummer,
        am.client_id,
        am.aanbieder_agb,
        am.productcategorie,
        am.datum_aanmelding,
        am.datum_intake,
        am.datum_start_behandeling,
        g.ingangsdatum,
        g.afstand_dagen,
        g.toewijzingnummer is not null as is_gekoppeld,
        true as aanbieder_levert_wachttijden,
        true as binnen_aanbiederperiode
    from aanmelding as am
    left join gekozen as g on am.aanmelding_id = g.aanmelding_id
),

ijw_rij as (
    select
        'ijw' as bron,
        null as aanmelding_id,
        tw.gemeente_code,
        tw.toewijzingnummer,
        tw.client_id,
        tw.aanbieder_agb,
        tw.productcategorie,
        null as datum_aanmelding,
        null as datum_intake,
        null as datum_start_behandeling,
        tw.ingangsdatum,
        null as afstand_dagen,
        false as is_gekoppeld,
        p.aanbieder_agb is not null as aanbieder_levert_wachttijden,
        coalesce(tw.ingangsdatum between p.periode_begin and p.periode_eind, false) as binnen_aanbiederperiode
    from toewijzing as tw
    left join aanbieder_periode as p on tw.aanbieder_agb = p.aanbieder_agb
    where not exists (
        select 1
        from gekozen as g
        where g.gemeente_code = tw.gemeente_code and g.toewijzingnummer = tw.toewijzingnummer
    )
)

select
    r.bron,
    r.aanmelding_id,
    r.gemeente_code,
    r.toewijzingnummer,
    r.client_id,
    r.aanbieder_agb,
    r.productcategorie,
    r.datum_aanmelding,
    r.datum_intake,
    r.datum_start_behandeling,
    r.ingangsdatum,
    r.afstand_dagen,
    r.is_gekoppeld,
    r.aanbieder_levert_wachttijden,
    r.binnen_aanbiederperiode,
    recordsleutel(concat_ws('|', r.bron, r.aanmelding_id, r.gemeente_code, r.toewijzingnummer))
        as record_sleutel
from (
    select * from aanbieder_rij
    union all by name
    select * from ijw_rij
) as r
order by r.bron, r.aanmelding_id, r.gemeente_code, r.toewijzingnummer
