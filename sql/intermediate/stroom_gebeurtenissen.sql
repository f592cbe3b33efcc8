-- one row per flow event of a started trajectory: maand, soort (instroom, uitstroom_*, opschaling,
-- afschaling, herinstroom, stapeling, overgang_18), the child, the trajectory's cell and the record keys
-- The one home of the flow rules (docs/definitions.md#stromen): maand_stromen adds the events up per cell,
-- the dashboard counts the child-level ones (stapeling, overgang_18, unique children) once per child over
-- any set of cells. A trajectory belongs to one cell for its whole life (gemeente, categorie, verwijzer and
-- leeftijdsgroep at start). Stapeling: one row per cell × month-end in which a child with two or more open
-- trajectories has one open.
with
traj as (
    select
        t.traject_id,
        t.client_id,
        t.gemeente_code,
        t.aanbieder_agb,
        t.productcategorie,
        t.verwijzer_type,
        t.leeftijdsgroep,
        t.startdatum,
        t.einddatum,
        t.reden_beeindiging,
        t.maand_18_jaar,
        t.traject_sleutel,
        t.kind_sleutel,
        cast(date_trunc('month', t.startdatum) as date) as startmaand,
        cast(date_trunc('month', t.einddatum) as date) as eindmaand,
        concat_ws(
            '|', t.gemeente_code, t.aanbieder_agb, coalesce(t.productcategorie, '-'), t.verwijzer_type,
            t.leeftijdsgroep
        ) as cel
    from trajecten as t
    where t.is_gestart
),

peil as (
    select cast(date_trunc('month', p.peildatum) as date) as peilmaand
    from peildatum as p
),

zwaarte as (
    select
        z.niveau,
        unnest(z.categorieen) as productcategorie
    from (
        select
            unnest(cast($stromen_zwaarte as varchar [] [])) as categorieen,
            generate_subscripts(cast($stromen_zwaarte as varchar [] []), 1) as niveau
    ) as z
),

-- the client's previous trajectory still running at B's start or ended at most N days before it
vorige as (
    select
        b.traject_id,
        b.cel,
        b.startmaand,
        b.client_id,
        b.traject_sleutel,
        zb.niveau as niveau_nieuw,
        arg_max(za.niveau, a.startdatum) as niveau_vorig
    from traj as b
    inner join zwaarte as zb on b.productcategorie = zb.productcategorie
    inner join traj as a
        on
            b.client_id = a.client_id
            and a.traject_id <> b.traject_id
            and a.startdatum < b.startdatum
            and b.startdatum <= coalesce(a.einddatum, b.startdatum) + cast($stromen_opschaling_dagen as integer)
    inner join zwaarte as za on a.productcategorie = za.productcategorie
    group by b.traject_id, b.cel, b.startmaand, b.client_id, b.traject_sleutel, zb.niveau
),

herinstroom as (
    select
        b.traject_id,
        b.cel,
        b.startmaand,
        b.client_id,
        b.traject_sleutel
    from traj as b
    where
        exists (
            select 1
            from traj as a
            where
                a.client_id = b.client_id
                and a.einddatum < b.startdatum
                and b.startdatum - a.einddatum <= cast($stromen_herinstroom_dagen as integer)
        )
        and not exists (
            select 1
            from traj as c
            where
                c.client_id = b.client_id
                and c.traject_id <> b.traject_id
                and c.startdatum <= b.startdatum
                and (c.einddatum is null or c.einddatum >= b.startdatum)
        )
),

-- month-end expansion only for children with two or more trajectories (stapeling)
open_maanden as (
    select
        t.cel,
        t.client_id,
        t.kind_sleutel,
        cast(unnest(generate_series(
            t.startmaand,
            coalesce(t.eindmaand - interval 1 month, pl.peilmaand),
            interval 1 month
        )) as date) as maand
    from traj as t
    cross join peil as pl
    where t.client_id in (select m.client_id from traj as m group by m.client_id having count(*) >= 2)
),

gestapeld as (
    select
        o.cel,
        o.maand,
        o.client_id,
        o.kind_sleutel
    from open_maanden as o
    qualify count(*) over (partition by o.client_id, o.maand) >= 2
),

gebeurtenis as (
    select
        t.cel,
        t.startmaand as maand,
        'instroom' as soort,
        t.client_id,
        t.traject_sleutel as sleutel
    from traj as t
    union all
    select
        t.cel,
        t.eindmaand as maand,
        case
            when list_contains(cast($stromen_uitstroom_volgens_plan as varchar []), t.reden_beeindiging)
                then 'uitstroom_volgens_plan'
            when list_contains(cast($stromen_uitstroom_voortijdig as varchar []), t.reden_beeindiging)
                then 'uitstroom_voortijdig'
            when t.reden_beeindiging is null then 'uitstroom_zonder_stopbericht'
            else 'uitstroom_overig'
        end as soort,
        t.client_id,
        t.traject_sleutel as sleutel
    from traj as t
    where t.einddatum is not null
    union all
    select
        v.cel,
        v.startmaand as maand,
        case when v.niveau_nieuw > v.niveau_vorig then 'opschaling' else 'afschaling' end as soort,
        v.client_id,
        v.traject_sleutel as sleutel
    from vorige as v
    where v.niveau_nieuw <> v.niveau_vorig
    union all
    select
        h.cel,
        h.startmaand as maand,
        'herinstroom' as soort,
        h.client_id,
        h.traject_sleutel as sleutel
    from herinstroom as h
    union all
    select
        g.cel,
        g.maand,
        'stapeling' as soort,
        g.client_id,
        g.kind_sleutel as sleutel
    from gestapeld as g
    union all
    select
        t.cel,
        t.maand_18_jaar as maand,
        'overgang_18' as soort,
        t.client_id,
        t.traject_sleutel as sleutel
    from traj as t
    cross join peil as pl
    where
        t.maand_18_jaar between t.startmaand and coalesce(t.eindmaand, pl.peilmaand)
        and t.maand_18_jaar <= pl.peilmaand
),

cel_dimensies as (
    select distinct
        t.cel,
        t.gemeente_code,
        t.aanbieder_agb,
        t.productcategorie,
        t.verwijzer_type,
        t.leeftijdsgroep
    from traj as t
)

select
    g.maand,
    g.soort,
    g.client_id,
    g.sleutel,
    recordsleutel(g.client_id) as kind_sleutel,
    g.cel,
    d.gemeente_code,
    d.aanbieder_agb,
    d.productcategorie,
    d.verwijzer_type,
    d.leeftijdsgroep
from gebeurtenis as g
inner join cel_dimensies as d on g.cel = d.cel
