-- one row per waiting list (lijst_id): how fresh the data behind its expected wait is, and the aanbieder's own
-- published wait for that step where it publishes one (docs/definitions.md#actualiteit-en-publicatie)
-- laatste_gegevens: the latest clock start, clock stop or renege among the list's waits up to the peildatum;
-- aanbieder_laatste_gegevens: the same over every list of the aanbieder from the same source (the iJw messages
-- for verzoek_toewijzing and toewijzing_start, the aanbieder's waiting-time records for the other niveaus).
-- Published (gepubliceerde_wachttijden): the latest month up to the peildatum per aanbieder, for the list's
-- productcategorie where the aanbieder publishes per category, else its figure for all categories; the
-- aanmeldingswachttijd belongs to the intake list (aanmelding -> intake) and the behandelingswachttijd to the
-- behandeling list (intake -> start behandeling), as in aanbieder_profiel; the mean over the aanbieder's
-- locaties that month, gepubliceerd_wachtenden the sum of their aantal_wachtenden (null when none is given).
with
lijsten as (
    select distinct
        w.lijst_id,
        w.niveau,
        w.aanbieder_agb,
        w.productcategorie
    from wachtlijst_week as w
),

per_lijst as (
    select
        l.lijst_id,
        any_value(l.niveau) as niveau,
        any_value(l.aanbieder_agb) as aanbieder_agb,
        any_value(l.productcategorie) as productcategorie,
        case
            when any_value(l.niveau) in ('verzoek_toewijzing', 'toewijzing_start') then 'ijw'
            else 'registratie'
        end as bron,
        max(least(greatest(wt.begindatum, wt.einddatum, wt.afbreekdatum), p.peildatum)) as laatste_gegevens
    from lijsten as l
    inner join wachttijden as wt
        on
            l.niveau = wt.niveau
            and l.aanbieder_agb is not distinct from wt.aanbieder_agb
            and l.productcategorie is not distinct from wt.productcategorie
    cross join peildatum as p
    group by l.lijst_id, p.peildatum
),

maanden as (
    select
        g.aanbieder_agb,
        g.productcategorie,
        g.locatie,
        g.maand_begin,
        g.peildatum,
        g.aanmeldingswachttijd_weken,
        g.behandelingswachttijd_weken,
        g.aantal_wachtenden
    from gepubliceerde_wachttijden as g
    cross join peildatum as p
    where g.maand_begin <= p.peildatum
    qualify g.maand_begin = max(g.maand_begin) over (partition by g.aanbieder_agb, g.productcategorie)
),

publicatie as (
    select
        m.aanbieder_agb,
        m.productcategorie,
        any_value(m.maand_begin) as maand_begin,
        max(m.peildatum) as peildatum,
        avg(m.aanmeldingswachttijd_weken) as aanmelding_weken,
        avg(m.behandelingswachttijd_weken) as behandeling_weken,
        count(distinct m.locatie) as locaties,
        sum(m.aantal_wachtenden) as wachtenden
    from maanden as m
    group by m.aanbieder_agb, m.productcategorie
),

gekoppeld as (
    select
        l.lijst_id,
        pb.productcategorie is not null as is_per_categorie,
        pb.maand_begin,
        pb.peildatum,
        case l.niveau when 'intake' then pb.aanmelding_weken when 'behandeling' then pb.behandeling_weken end
            as weken,
        pb.locaties,
        pb.wachtenden
    from per_lijst as l
    inner join publicatie as pb
        on
            l.aanbieder_agb = pb.aanbieder_agb
            and (pb.productcategorie is null or l.productcategorie = pb.productcategorie)
    where l.niveau in ('intake', 'behandeling')
    qualify row_number() over (partition by l.lijst_id order by pb.productcategorie nulls last) = 1
),

aanbieders as (
    select
        l.aanbieder_agb,
        bool_or(l.bron = 'registratie') as heeft_registratie,
        bool_or(pb.aanbieder_agb is not null) as is_publicerend
    from per_lijst as l
    left join publicatie as pb on l.aanbieder_agb = pb.aanbieder_agb
    group by l.aanbieder_agb
)

select
    l.lijst_id,
    l.niveau,
    l.aanbieder_agb,
    l.productcategorie,
    l.bron,
    l.laatste_gegevens,
    max(l.laatste_gegevens) over (partition by l.aanbieder_agb, l.bron) as aanbieder_laatste_gegevens,
    p.peildatum,
    a.is_publicerend,
    a.heeft_registratie,
    g.weken as gepubliceerd_weken,
    g.maand_begin as gepubliceerd_maand,
    g.peildatum as gepubliceerd_peildatum,
    g.is_per_categorie as is_gepubliceerd_per_categorie,
    g.locaties as gepubliceerd_locaties,
    cast(g.wachtenden as bigint) as gepubliceerd_wachtenden
from per_lijst as l
cross join peildatum as p
left join gekoppeld as g on l.lijst_id = g.lijst_id
left join aanbieders as a on l.aanbieder_agb is not distinct from a.aanbieder_agb
order by l.lijst_id
